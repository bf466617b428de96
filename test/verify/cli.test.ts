// The command as a user runs it: bad input is one clear line and the documented exit code, never a stack trace.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, ["tools/verify.ts", ...args], { cwd: root, timeout: 20_000 }, (err, stdout, stderr) => {
            resolve({ code: typeof err?.code === "number" ? err.code : 0, stdout, stderr });
        });
    });
}

describe("npm run verify, bad input", () => {
    it.each([
        ["weights that do not add up to 100", ["--url", "http://127.0.0.1:9/hello", "--expect", "v1=80,v2=30"], /adds up to 110, not 100/],
        ["an --expect in an unknown format", ["--url", "http://127.0.0.1:9/hello", "--expect", "v1:80"], /'v1:80' is not name=percent/],
        ["a stack that does not exist", ["--url", "http://127.0.0.1:9/hello", "--stack", "nope"], /stack 'nope': cannot read stack settings .*Pulumi\.nope\.yaml: no such file/],
        ["no --url", ["--stack", "dev"], /--url is required/],
        ["an option verify does not have", ["--url", "http://127.0.0.1:9/hello", "--stack", "dev", "--colour"], /Unknown option '--colour'/],
    ])("%s: one line on stderr, exit 64", async (_label, args, message) => {
        const { code, stdout, stderr } = await cli(args);
        expect(code).toBe(64);
        expect(stdout).toBe("");
        expect(stderr).toMatch(message);
        expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    });

    it("an unreachable URL: one line on stderr, exit 2", async () => {
        // Port 9 (discard) has no listener here: every connection is refused at once.
        const { code, stderr } = await cli(["--url", "http://127.0.0.1:9/hello", "--stack", "dev"]);
        expect(code).toBe(2);
        expect(stderr).toBe("verify: cannot reach http://127.0.0.1:9/hello: connection refused ×20 (every one of 20 attempts failed to connect).\n");
    });

    it("--help prints the usage and exits 0", async () => {
        const { code, stdout } = await cli(["--help"]);
        expect(code).toBe(0);
        expect(stdout).toContain("Exit codes: 0 match, 1 mismatch, 2 too many errors or unreachable, 3 inconclusive");
    });
});
