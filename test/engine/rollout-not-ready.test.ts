// A rollout that cannot start because its stack was never created (a stack file alone is not a stack):
// exit 2, one line that says so and how to create it, nothing changed, and no word of resuming, which
// would only fail the same way. (Without the Pulumi CLI at all: test/rollout/preflight.test.ts.)
import { spawn } from "node:child_process";
import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { startSampleServer, type SampleServer } from "../../dev/sample-server/server.ts";
import { PROJECT_DIR } from "../support/dev-stack.ts";
import { devStack } from "./support/stacks.ts";

function rollout(workspace: PulumiWorkspace, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [path.join(PROJECT_DIR, "tools/rollout.ts"), ...args], { cwd: workspace.dir, env: workspace.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("a rollout of a stack that was never created", () => {
    let workspace: PulumiWorkspace;
    let ingress: SampleServer;

    beforeAll(async () => {
        workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), config: devStack(), renderMode: true });
        copyFileSync(workspace.stackFile, path.join(workspace.dir, "Pulumi.never.yaml"));
        ingress = await startSampleServer({ mix: [{ answer: "v1", weight: 80 }, { answer: "v2", weight: 20 }] });
    });
    afterAll(async () => {
        await ingress?.close();
        workspace?.remove();
    });

    it("exits 2 saying how to create it, with nothing changed", async () => {
        const before = readFileSync(path.join(workspace.dir, "Pulumi.never.yaml"), "utf8");
        const { code, stderr } = await rollout(workspace, ["--stack", "never", "--to", "v2", "--url", ingress.url, "--pause", "1s"]);
        expect(code).toBe(2);
        expect(stderr.trimEnd().split("\n").at(-1)).toBe("rollout: Pulumi has no stack 'never' in the backend it is logged in to " +
            "(Pulumi.never.yaml alone does not make one): create it with `pulumi stack init never` and deploy it with `pulumi up`, " +
            "or `pulumi login` to the backend that holds it (`pulumi stack ls` lists the stacks there); nothing was changed (the stack stays at v1 80 / v2 20)");
        expect(stderr).not.toContain("resume");
        expect(readFileSync(path.join(workspace.dir, "Pulumi.never.yaml"), "utf8")).toBe(before);
    }, 120_000);
});
