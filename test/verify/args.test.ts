import { describe, expect, it } from "vitest";
import { DEFAULTS, parseDuration, parseVerifyArgs, UsageError, type VerifyOptions } from "../../tools/verify/args.ts";

const base = ["--url", "http://127.0.0.1:8080/hello", "--stack", "dev"];
const parse = (...extra: string[]) => parseVerifyArgs([...base, ...extra]) as VerifyOptions;

describe("verify options", () => {
    it("has the documented defaults", () => {
        const o = parse();
        expect({ ...o, url: o.url.href, versionPattern: o.versionPattern.source }).toEqual({
            url: "http://127.0.0.1:8080/hello",
            expectation: { kind: "stack", stack: "dev" },
            tolerance: DEFAULTS.tolerance / 100,
            confidence: 0.95,
            maxRequests: 20000,
            concurrency: 8,
            timeoutMs: 10_000,
            versionPattern: "Hello version: ([^,\\s]+)",
            maxErrorRate: 0.05,
            json: false,
        });
    });

    it("reads every option", () => {
        const o = parse("--tolerance", "2.5", "--confidence", "0.99", "--max-requests", "500", "--concurrency", "64",
            "--timeout", "750ms", "--host", "hello.example", "--version-pattern", "v=(?<version>\\w+)", "--max-error-rate", "0.01", "--json");
        expect(o).toMatchObject({ tolerance: 0.025, confidence: 0.99, maxRequests: 500, concurrency: 64, timeoutMs: 750, host: "hello.example", maxErrorRate: 0.01, json: true });
    });

    it("returns help for -h", () => {
        expect(parseVerifyArgs(["-h"])).toBe("help");
    });

    describe.each([
        [["--tolerance", "0"], "--tolerance '0' is invalid"],
        [["--tolerance", "abc"], "--tolerance 'abc' is invalid"],
        [["--confidence", "95"], "--confidence '95' is invalid"],
        [["--max-requests", "1.5"], "--max-requests '1.5' is invalid"],
        [["--concurrency", "0"], "--concurrency '0' is invalid"],
        [["--timeout", "soon"], "--timeout 'soon' is invalid"],
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
        expect(() => parseVerifyArgs(["--url", "ftp://x/hello", "--stack", "dev"])).toThrow("must be http:// or https://");
        expect(() => parseVerifyArgs(["--url", "not a url", "--stack", "dev"])).toThrow("is not a URL");
    });

    it.each([["10s", 10_000], ["500ms", 500], ["1.5m", 90_000], ["2", 2000]])("reads the duration %s", (text, ms) => {
        expect(parseDuration(text)).toBe(ms);
    });
});
