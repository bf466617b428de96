// The command as a user runs it: bad input is one clear line and the documented exit status, never a stack trace.
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
        ["no --url", ["--stack", "dev"], /--url is required/],
        ["an option verify does not have", ["--url", "http://127.0.0.1:9/hello", "--stack", "dev", "--colour"], /Unknown option '--colour'/],
        ["a negative timeout", ["--url", "http://127.0.0.1:9/hello", "--stack", "dev", "--timeout", "-1s"], /--timeout '-1s' is invalid: use a duration from 1ms to 1h/],
    ])("%s: one line, then the usage, on stderr; exit 64", async (_label, args, message) => {
        const { code, stdout, stderr } = await cli(args);
        expect(code).toBe(64);
        expect(stdout).toBe("");
        const [first, ...usage] = stderr.trimEnd().split("\n");
        expect(first).toMatch(/^verify: /);
        expect(first).toMatch(message);
        expect(usage[0]).toMatch(/^Usage: npm run verify -- /);
    });

    it("a stack that does not exist: one line on stderr, exit 2 (it cannot check against it)", async () => {
        const { code, stderr } = await cli(["--url", "http://127.0.0.1:9/hello", "--stack", "nope"]);
        expect(code).toBe(2);
        expect(stderr).toMatch(/^verify: stack 'nope': cannot read stack settings .*Pulumi\.nope\.yaml: no such file\n$/);
    });

    it("an unreachable URL: one line on stderr, exit 2", async () => {
        // Port 9 (discard) has no listener here: every connection is refused at once.
        const { code, stderr } = await cli(["--url", "http://127.0.0.1:9/hello", "--stack", "dev"]);
        expect(code).toBe(2);
        expect(stderr).toBe("verify: cannot reach http://127.0.0.1:9/hello: connection refused ×20 (every one of 20 attempts failed to connect).\n");
    });

    it("--help prints the usage, the duration grammar and the exit status, and exits 0", async () => {
        const { code, stdout } = await cli(["--help"]);
        expect(code).toBe(0);
        expect(stdout).toMatch(/^Usage: npm run verify -- /);
        expect(stdout).toContain("a bare number is seconds");
        expect(stdout.replace(/\s+/g, " ")).toContain("Exit status: 0 match, 1 mismatch, too many errors or inconclusive");
    });
});
