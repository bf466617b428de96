// What Pulumi.yaml promises, checked by the CLI that reads it: the program runs as native
// TypeScript (runtime.options.typescript: false, main: index.ts), and the default Kubernetes
// provider is disabled as project-level config, so nothing can land in an ambient kubeconfig.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { renderModeConfig } from "../../tools/engine/render-mode.ts";
import { PulumiWorkspace } from "../../tools/engine/workspace.ts";
import { devStack } from "./support/stacks.ts";

const AMBIENT_PROVIDER = fileURLToPath(new URL("fixtures/ambient-provider.ts", import.meta.url));

describe("Pulumi.yaml under the real CLI", () => {
    it("runs index.ts and exports the stack outputs", () => {
        const renderRoot = mkdtempSync(path.join(tmpdir(), "hwg-engine-project-"));
        const workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), config: renderModeConfig(devStack(), renderRoot) });
        workspace.mustRun(["up", "--yes", "--skip-preview"]);
        const outputs = JSON.parse(workspace.mustRun(["stack", "output", "--json"]).stdout) as Record<string, unknown>;
        expect(outputs).toMatchObject({ split: { v1: 80, v2: 20 }, checkPath: "/hello" });
    });

    it("refuses a resource that names no provider (default kubernetes provider disabled)", () => {
        const workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), program: AMBIENT_PROVIDER, config: {} });
        const preview = workspace.run(["preview"]);
        expect(preview.status).not.toBe(0);
        expect(preview.stdout + preview.stderr).toMatch(/Default provider for 'kubernetes' disabled/);
    });
});
