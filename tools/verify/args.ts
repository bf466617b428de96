// Command-line options of `npm run verify`, checked up front: a bad value is one line and exit 64.
import { flagParser } from "../flag-parser.ts";
import { MAX_REQUESTS_NOTE } from "./calibration-figures.ts";
import { DEFAULT_VERSION_PATTERN } from "./outcome.ts";
import { SHARED_OPTIONS } from "./shared-flags.ts";

/** Breaks one help line at spaces into lines of at most 105 characters, continued at column `indent`. */
function wrap(line: string, indent: number): string {
    const lines = [""];
    for (const word of line.split(/(?<=\S) /)) {
        const last = lines[lines.length - 1] ?? "";
        if (last.trim() !== "" && last.length + 1 + word.length > 105) {
            lines.push(`${" ".repeat(indent)}${word}`);
        } else {
            lines[lines.length - 1] = last === "" ? word : `${last} ${word}`;
        }
    }
    return lines.join("\n");
}

export const HELP = `Usage: npm run verify -- --url http://<ingress>/hello (--stack <name> | --expect v1=80,v2=20) [options]

Sends requests until the data decide, at the stated confidence, whether every version's share of the
responses is within the tolerance of its weight and fewer requests fail than --max-error-rate allows;
stops as soon as they do.

  --url <url>              the sample's /hello behind the ingress (http or https)
  --stack <name>           expected split: the weights in Pulumi.<name>.yaml (retired versions excluded)
  --expect <v=pct,...>     expected split given directly; percentages must add up to 100
  --tolerance <pp>         allowed distance from each weight, in percentage points (default 5)
  --confidence <c>         e.g. 0.95 (default): the chance that a MATCH or MISMATCH verdict is right
${wrap(`  --max-requests <n>       cap on requests (default 20000: ${MAX_REQUESTS_NOTE})`, 27)}
  --concurrency <n>        requests in flight (default 8; every one in flight at the verdict is wasted)
  --timeout <t>            per request, e.g. 10s or 500ms (default 10s)
  --host <name>            Host header to send (an ingress that routes by host)
  --version-pattern <re>   regular expression whose first group (or group 'version') is the version
                           (default '${DEFAULT_VERSION_PATTERN}')
${wrap("  --max-error-rate <r>     share of requests that may fail (default 0.05): a MATCH needs the data to show fewer failing; once they show more, exit 2", 27)}
  --json                   print the result as JSON instead of a table
  -h, --help               show this help

Exit codes: 0 match, 1 mismatch, 2 too many errors or unreachable, 3 inconclusive (cap reached), 64 usage error.`;

export class UsageError extends Error {
    override name = "UsageError";
}

export type ExpectationSource = { kind: "stack"; stack: string } | { kind: "expect"; text: string };

export interface VerifyOptions {
    url: URL;
    host?: string;
    expectation: ExpectationSource;
    /** As a share (0.05), though given in percentage points. */
    tolerance: number;
    confidence: number;
    maxRequests: number;
    concurrency: number;
    timeoutMs: number;
    versionPattern: RegExp;
    maxErrorRate: number;
    json: boolean;
}

export const DEFAULTS = {
    tolerance: 5,
    confidence: 0.95,
    maxRequests: 20000,
    concurrency: 8,
    timeout: "10s",
    maxErrorRate: 0.05,
} as const;

const flags = flagParser(UsageError);

/** Parses argv (without node and the script); `help` when -h was given. Throws UsageError. */
export function parseVerifyArgs(argv: string[]): VerifyOptions | "help" {
    const values = flags.parse(argv, {
        ...SHARED_OPTIONS,
        stack: { type: "string" },
        expect: { type: "string" },
        concurrency: { type: "string" },
        timeout: { type: "string" },
        "version-pattern": { type: "string" },
        "max-error-rate": { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
    });
    if (values.help) {
        return "help";
    }
    if (values.url === undefined) {
        throw new UsageError("--url is required, e.g. --url http://<ingress>/hello");
    }
    if ((values.stack === undefined) === (values.expect === undefined)) {
        throw new UsageError("give exactly one of --stack <name> or --expect v1=80,v2=20");
    }
    const tolerancePp = flags.number("--tolerance", values.tolerance ?? String(DEFAULTS.tolerance), (v) => v > 0 && v < 50, "a number of percentage points above 0 and below 50");
    return {
        url: flags.httpUrl("--url", values.url, "http://<ingress>/hello"),
        ...(values.host === undefined ? {} : { host: values.host }),
        expectation: values.stack !== undefined ? { kind: "stack", stack: values.stack } : { kind: "expect", text: values.expect ?? "" },
        tolerance: tolerancePp / 100,
        confidence: flags.number("--confidence", values.confidence ?? String(DEFAULTS.confidence), (v) => v >= 0.5 && v < 1, "a probability from 0.5 up to (not including) 1, e.g. 0.95"),
        maxRequests: flags.number("--max-requests", values["max-requests"] ?? String(DEFAULTS.maxRequests), (v) => Number.isInteger(v) && v >= 1 && v <= 10_000_000, "a whole number from 1 to 10000000"),
        concurrency: flags.number("--concurrency", values.concurrency ?? String(DEFAULTS.concurrency), (v) => Number.isInteger(v) && v >= 1 && v <= 1024, "a whole number from 1 to 1024"),
        timeoutMs: parseDuration(values.timeout ?? DEFAULTS.timeout),
        versionPattern: parsePattern(values["version-pattern"] ?? DEFAULT_VERSION_PATTERN),
        maxErrorRate: flags.number("--max-error-rate", values["max-error-rate"] ?? String(DEFAULTS.maxErrorRate), (v) => v > 0 && v < 1, "a share above 0 and below 1, e.g. 0.05 (a MATCH must show the error rate below it, which no number of requests can do for 0)"),
        json: values.json,
    };
}

/** "10s", "500ms", "1.5m", or a bare number of seconds. */
export function parseDuration(text: string): number {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
    const unit = match?.[2] ?? "s";
    const ms = match === null ? NaN : Number(match[1]) * (unit === "ms" ? 1 : unit === "s" ? 1000 : 60_000);
    if (!(ms >= 1 && ms <= 3_600_000)) {
        throw new UsageError(`--timeout '${text}' is invalid: use a duration from 1ms to 60m, e.g. 10s or 500ms`);
    }
    return Math.round(ms);
}

function parsePattern(text: string): RegExp {
    let pattern: RegExp;
    try {
        pattern = new RegExp(text);
    } catch (err) {
        throw new UsageError(`--version-pattern is not a valid regular expression: ${(err as Error).message}`);
    }
    // An alternation with the empty string always matches, and its result has one slot per group.
    const groups = (new RegExp(`${text}|`).exec("")?.length ?? 1) - 1;
    if (groups === 0) {
        throw new UsageError("--version-pattern needs a capture group for the version, e.g. 'version: (\\w+)'");
    }
    return pattern;
}
