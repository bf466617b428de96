// scripts/pulumi-engine on a user's machine: a suitable `pulumi` on PATH is used as it is.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { PROJECT_DIR } from "../support/dev-stack.ts";

function runScript(pathPrefix: string): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync("bash", [path.join(PROJECT_DIR, "scripts/pulumi-engine")], {
        encoding: "utf8",
        env: { ...process.env, PATH: `${pathPrefix}${path.delimiter}${process.env.PATH ?? ""}` },
    });
    return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

describe("scripts/pulumi-engine", () => {
    it("uses a pulumi of a suitable version on PATH, with its kubernetes plugin, and builds nothing", () => {
        const run = runScript(inject("engineBin"));
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toBe(inject("engineBin"));
        expect(run.stderr).toMatch(/using the Pulumi CLI on PATH/);
        expect(run.stderr).not.toMatch(/building/);
    });
});
