// Flag parsing as every command does it: strict, one-line usage errors, and a value taken even when it
// starts with '-'.
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../tools/command/errors.ts";
import { httpUrlFlag, numberFlag, parseFlags } from "../../../tools/command/flags.ts";

const FLAGS = {
    pause: { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
} as const;

describe("parseFlags", () => {
    it.each<[string[], { values: Record<string, unknown>; positionals: string[] }]>([
        [["--pause", "5s"], { values: { pause: "5s", json: false }, positionals: [] }],
        [["--pause=5s", "--json"], { values: { pause: "5s", json: true }, positionals: [] }],
        // parseArgs calls a value starting with '-' ambiguous; the flag's own check judges it instead.
        [["--pause", "-5s"], { values: { pause: "-5s", json: false }, positionals: [] }],
        [["--pause", "-"], { values: { pause: "-", json: false }, positionals: [] }],
        [["-h"], { values: { help: true, json: false }, positionals: [] }],
    ])("%j", (argv, parsed) => {
        expect(parseFlags(argv, FLAGS)).toEqual(parsed);
    });

    it("keeps words after -- as positionals, even one that looks like a flag", () => {
        expect(parseFlags(["--json", "--", "--pause", "-x"], FLAGS, true).positionals).toEqual(["--pause", "-x"]);
    });

    it.each([
        [["--colour"], "Unknown option '--colour'"],
        [["--pause"], "Option '--pause <value>' argument missing"],
        [["--pause", "--json"], "--pause needs a value, and --json after it is a flag"],
        [["--pause", "-h"], "--pause needs a value, and -h after it is a flag"],
        [["--json=yes"], "Option '--json' does not take an argument"],
        [["stray"], "Unexpected argument 'stray'. This command does not take positional arguments"],
    ])("refuses %j with one line", (argv, message) => {
        expect(() => parseFlags(argv, FLAGS)).toThrow(new UsageError(message));
    });

    it("does not suggest '--' for an unknown flag where words are allowed", () => {
        expect(() => parseFlags(["--colour", "a.yaml"], FLAGS, true)).toThrow(new UsageError("Unknown option '--colour'"));
    });
});

describe("numberFlag", () => {
    const percent = (text: string) => numberFlag("--rate", text, (v) => v >= 0 && v <= 100, "a percentage");
    it("reads a number that passes the check", () => {
        expect(percent("99.5")).toBe(99.5);
    });

    it.each(["101", "abc", "", " ", "Infinity"])("refuses %j", (text) => {
        expect(() => percent(text)).toThrow(new UsageError(`--rate '${text}' is invalid: use a percentage`));
    });
});

describe("httpUrlFlag", () => {
    it("reads http and https URLs", () => {
        expect(httpUrlFlag("--url", "https://ingress/hello", "http://x").href).toBe("https://ingress/hello");
    });

    it.each([
        ["ingress/hello", "--url 'ingress/hello' is not a URL; use e.g. http://<ingress>/hello"],
        ["ftp://ingress/hello", "--url 'ftp://ingress/hello' must be http:// or https://"],
    ])("refuses %j", (text, message) => {
        expect(() => httpUrlFlag("--url", text, "http://<ingress>/hello")).toThrow(new UsageError(message));
    });
});
