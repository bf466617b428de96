// Every command a user runs goes through tools/command: a flag it does not have is one line naming it,
// then the usage, on stderr, exit 64; --help is the usage on stdout, exit 0. The commands are those of
// package.json's scripts that run a file of tools/ or dev/, so a new command cannot be left out.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../../support/dev-stack.ts";

const scripts = (JSON.parse(readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const entryFiles = [...new Set(Object.values(scripts).flatMap((script) => [...script.matchAll(/\bnode ((?:tools|dev)\/\S+\.ts)\b/g)].map((m) => m[1] as string)))].sort();

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        // No KUBECONFIG and no Pulumi: nothing a refused command line could reach.
        const env = { PATH: path.dirname(process.execPath), HOME: process.env.HOME ?? "/" };
        execFile(process.execPath, [file, ...args], { cwd: PROJECT_DIR, env, timeout: 20_000 }, (err, stdout, stderr) => {
            resolve({ code: typeof err?.code === "number" ? err.code : 0, stdout, stderr });
        });
    });
}

describe("every command's command line", () => {
    it("finds the commands in package.json's scripts", () => {
        expect(entryFiles).toEqual(expect.arrayContaining([
            "tools/render.ts", "tools/analyze.ts", "tools/verify.ts", "tools/rollout.ts",
            "dev/clusters.ts", "dev/istiod.ts", "dev/dataplane.ts", "dev/sample-server.ts", "dev/try-local.ts",
        ]));
    });

    it.concurrent.each(entryFiles)("%s: an unknown flag is one line and the usage on stderr, exit 64", async (file) => {
        const { code, stdout, stderr } = await run(file, ["--no-such-flag"]);
        expect(code, stderr).toBe(64);
        expect(stdout).toBe("");
        const [first, second] = stderr.split("\n");
        expect(first).toMatch(/^[\w-]+: Unknown option '--no-such-flag'$/);
        expect(second).toMatch(/^Usage: /);
        expect(stderr).not.toContain("    at ");
    });

    it.concurrent.each(entryFiles)("%s: --help is the usage on stdout, with the exit status, exit 0", async (file) => {
        const { code, stdout, stderr } = await run(file, ["--help"]);
        expect(code, stderr).toBe(0);
        expect(stdout).toMatch(/^Usage: /);
        expect(stdout.replace(/\s+/g, " ").trimEnd()).toMatch(/Exit status: 0 .*, 2 .*, 64 usage error\.$/);
    });
});
