// What Pulumi.yaml promises, checked by the CLI that reads it: the program runs as native
// TypeScript (runtime.options.typescript: false, main: index.ts), and the default Kubernetes
// provider is disabled as project-level config, so nothing can land in an ambient kubeconfig.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, inject, it } from "vitest";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { devStack } from "./support/stacks.ts";

const AMBIENT_PROVIDER = fileURLToPath(new URL("fixtures/ambient-provider.ts", import.meta.url));

const workspaces: PulumiWorkspace[] = [];

function workspaceFor(options: { program?: string; config: Record<string, unknown>; renderMode?: boolean }): PulumiWorkspace {
    const workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), ...options });
    workspaces.push(workspace);
    return workspace;
}

describe("Pulumi.yaml under the real CLI", () => {
    afterEach(() => workspaces.splice(0).forEach((w) => w.remove()));

    it("runs index.ts and exports the stack outputs", () => {
        const workspace = workspaceFor({ config: devStack(), renderMode: true });
        workspace.mustRun(["up", "--yes", "--skip-preview"]);
        const outputs = JSON.parse(workspace.mustRun(["stack", "output", "--json"]).stdout) as Record<string, unknown>;
        expect(outputs).toMatchObject({ split: { v1: 80, v2: 20 }, checkPath: "/hello" });
    });

    it("refuses a resource that names no provider (default kubernetes provider disabled)", () => {
        const workspace = workspaceFor({ program: AMBIENT_PROVIDER, config: {} });
        const preview = workspace.run(["preview"]);
        expect(preview.status).not.toBe(0);
        expect(preview.stdout + preview.stderr).toMatch(/Default provider for 'kubernetes' disabled/);
    });
});
