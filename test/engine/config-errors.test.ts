// Config errors under the real engine read as render reads them, for the same stack file.
// Issue #10.1: a key the program does not read fails `pulumi preview` with render's message, instead of
// being ignored (the stack would keep its old split while render rejected the file).
// Issue #9.4: a secret where plaintext is needed is found by the program too, through the keys the
// engine marks secret.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { runTool } from "../support/run-tool.ts";
import { devStack } from "./support/stacks.ts";

const UNKNOWN_KEY = "helloworld-grayscale:weight: unknown key; did you mean helloworld-grayscale:weights?";

describe("a stack with a misspelt key (helloworld-grayscale:weight)", () => {
    let workspace: PulumiWorkspace;
    let out: string;

    beforeAll(() => {
        const config = devStack();
        config["helloworld-grayscale:weight"] = { v1: 50, v2: 50 };
        workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), config, renderMode: true });
        out = mkdtempSync(path.join(tmpdir(), "misspelt-render-"));
    });
    afterAll(() => {
        workspace.remove();
        rmSync(out, { recursive: true, force: true });
    });

    it("is refused by render", () => {
        const render = runTool("render", ["--config-file", workspace.stackFile, "--out", out]);
        expect(render.status).not.toBe(0);
        expect(render.stderr).toContain(`  - ${UNKNOWN_KEY}\n`);
    });

    it("fails `pulumi preview` with render's message, registering nothing", () => {
        const render = runTool("render", ["--config-file", workspace.stackFile, "--out", out]);
        const preview = workspace.run(["preview", "--json"]);
        expect(preview.status).not.toBe(0);
        const result = JSON.parse(preview.stdout) as { steps: { urn: string }[]; diagnostics: { message: string }[] };
        const diagnostics = result.diagnostics.map((d) => d.message).join("\n");
        // Render's whole message, problem lines and all, is the error the engine reports.
        expect(render.stderr.split("\n")[1]).toBe(`  - ${UNKNOWN_KEY}`);
        expect(diagnostics).toContain(render.stderr.trim());
        // Only the stack itself would be created: the program stopped before its first resource.
        expect(result.steps.map((step) => step.urn.split("::")[2])).toEqual(["pulumi:pulumi:Stack"]);
    });
});

describe("a stack with a Gateway host set as a secret", () => {
    let workspace: PulumiWorkspace;
    let out: string;

    beforeAll(() => {
        workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), config: devStack(), renderMode: true });
        workspace.mustRun(["config", "set", "--secret", "--path", "gateway.hosts[0]", "hello.example.com"]);
        out = mkdtempSync(path.join(tmpdir(), "secret-host-render-"));
    });
    afterAll(() => {
        workspace.remove();
        rmSync(out, { recursive: true, force: true });
    });

    it("fails render and `pulumi preview` with the same message", () => {
        const render = runTool("render", ["--config-file", workspace.stackFile, "--out", out]);
        expect(render.status).toBe(2);
        expect(render.stderr).toContain("  - gateway: holds a secret (secure:) value, but Kubernetes and Istio must read it in plaintext");
        const preview = workspace.run(["preview", "--json"]);
        expect(preview.status).not.toBe(0);
        const { diagnostics } = JSON.parse(preview.stdout) as { diagnostics: { message: string }[] };
        expect(diagnostics.map((d) => d.message).join("\n")).toContain(render.stderr.trim());
    });
});
