import { describe, expect, it } from "vitest";
import { UsageError } from "../../tools/command/errors.ts";
import { parseCommandLine } from "../../tools/command/run-command.ts";
import type { VerifyCliOptions } from "../../tools/verify/args.ts";
import { verifyCommand } from "../../tools/verify/main.ts";

const base = ["--url", "http://127.0.0.1:8080/hello", "--stack", "dev"];
const parse = (...extra: string[]) => parseCommandLine(verifyCommand, [...base, ...extra]) as VerifyCliOptions;

describe("verify options", () => {
    it("leaves every setting not given to verifySplit's defaults", () => {
        const o = parse();
        expect({ ...o, verify: { ...o.verify, url: o.verify.url.href } }).toEqual({
            verify: { url: "http://127.0.0.1:8080/hello" },
            expectation: { kind: "stack", stack: "dev" },
            json: false,
        });
    });

    it("reads every option", () => {
        const o = parse("--tolerance", "2.5", "--confidence", "0.99", "--max-requests", "500", "--concurrency", "64",
            "--timeout", "750ms", "--host", "hello.example", "--version-pattern", "v=(?<version>\\w+)", "--max-error-rate", "0.01", "--json");
        expect(o.verify).toMatchObject({ tolerance: 0.025, confidence: 0.99, maxRequests: 500, concurrency: 64, timeoutMs: 750, host: "hello.example", maxErrorRate: 0.01 });
        expect(o.verify.versionPattern?.source).toBe("v=(?<version>\\w+)");
        expect(o.json).toBe(true);
    });

    it("reads --expect as the expectation", () => {
        expect(parseCommandLine(verifyCommand, ["--url", "http://i/hello", "--expect", "v1=80,v2=20"])).toMatchObject({ expectation: { kind: "expect", text: "v1=80,v2=20" } });
    });

    it("returns help for -h", () => {
        expect(parseCommandLine(verifyCommand, ["-h"])).toBe("help");
    });

    describe.each([
        [["--tolerance", "0"], "--tolerance '0' is invalid"],
        [["--tolerance", "abc"], "--tolerance 'abc' is invalid"],
        [["--confidence", "95"], "--confidence '95' is invalid"],
        [["--max-requests", "1.5"], "--max-requests '1.5' is invalid"],
        [["--concurrency", "0"], "--concurrency '0' is invalid"],
        [["--timeout", "soon"], "--timeout 'soon' is invalid: use a duration from 1ms to 1h, such as 10s or 500ms"],
        [["--timeout", "2h"], "--timeout '2h' is invalid: use a duration from 1ms to 1h, such as 10s or 500ms"],
        [["--timeout", "-1s"], "--timeout '-1s' is invalid"],
        [["--version-pattern", "Hello version: \\w+"], "--version-pattern needs a capture group"],
        [["--version-pattern", "(("], "--version-pattern is not a valid regular expression"],
        [["--max-error-rate", "1"], "--max-error-rate '1' is invalid"],
        // No number of requests shows an error rate below 0, so a MATCH could never be reached.
        [["--max-error-rate", "0"], "--max-error-rate '0' is invalid"],
        [["--expect", "v1=100"], "give exactly one of --stack"],
    ])("%j", (extra, message) => {
        it("is a usage error with a clear message", () => {
            expect(() => parse(...extra)).toThrow(UsageError);
            expect(() => parse(...extra)).toThrow(message);
        });
    });

    it("rejects a URL that is not http(s)", () => {
        expect(() => parseCommandLine(verifyCommand, ["--url", "ftp://x/hello", "--stack", "dev"])).toThrow("must be http:// or https://");
        expect(() => parseCommandLine(verifyCommand, ["--url", "not a url", "--stack", "dev"])).toThrow("is not a URL");
    });

    it.each([["10s", 10_000], ["500ms", 500], ["1.5m", 90_000], ["2", 2000], ["1h", 3_600_000]])("reads the timeout %s", (text, ms) => {
        expect(parse("--timeout", text).verify.timeoutMs).toBe(ms);
    });
});
