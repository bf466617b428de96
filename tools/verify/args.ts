// The command line of `npm run verify`, checked up front: a bad value is one line and exit 64.
import { versionPatternProblem } from "../../config/index.ts";
import { UsageError } from "../command/errors.ts";
import { DURATION_HELP, durationFlag, formatDuration } from "../command/duration.ts";
import { exitStatusHelp } from "../command/exit-codes.ts";
import { numberFlag, type ParsedFlags } from "../command/flags.ts";
import { wrapHelpLine } from "../command/usage.ts";
import { MAX_REQUESTS_NOTE } from "./calibration-figures.ts";
import { DEFAULTS, type ExpectationSource, type VerifyOptions } from "./options.ts";
import { TARGET_FLAGS, TEST_DEFAULTS, TEST_FLAGS, targetOptions, testOptions } from "./shared-flags.ts";

export const USAGE = "Usage: npm run verify -- --url http://<ingress>/hello (--stack <name> | --expect v1=80,v2=20) [options]";

export const HELP = `Sends requests until the data decide, at the stated confidence, whether every version's share of the
responses is within the tolerance of its weight and fewer requests fail than --max-error-rate allows;
stops as soon as they do.

  --url <url>              the sample's /hello behind the ingress (http or https)
  --stack <name>           expected split: the weights in Pulumi.<name>.yaml (retired versions excluded)
  --expect <v=pct,...>     expected split given directly; percentages must add up to 100
  --tolerance <pp>         allowed distance from each weight, in percentage points (default ${TEST_DEFAULTS.tolerance})
  --confidence <c>         e.g. 0.95 (default): the chance that a MATCH or MISMATCH verdict is right
${wrapHelpLine(`  --max-requests <n>       cap on requests (default ${TEST_DEFAULTS.maxRequests}: ${MAX_REQUESTS_NOTE})`, 27)}
  --concurrency <n>        requests in flight (default ${DEFAULTS.concurrency}; every one in flight at the verdict is wasted)
  --timeout <duration>     per request, e.g. 10s or 500ms (default ${formatDuration(DEFAULTS.timeoutMs)})
  --host <name>            Host header to send (an ingress that routes by host)
  --header 'name: value'   a header to send with every request, e.g. the one a route to testers
                           matches ('x-canary: always', 'cookie: user=tester'); repeatable
  --version-pattern <re>   regular expression whose first group (or group 'version') is the version
                           (default '${DEFAULTS.versionPattern}')
${wrapHelpLine(`  --max-error-rate <r>     share of requests that may fail (default ${DEFAULTS.maxErrorRate}): a MATCH needs the data to show fewer failing; once they show more, the verdict is TOO MANY ERRORS`, 27)}
  --json                   print the result as JSON instead of a table
  -h, --help               show this help

${DURATION_HELP}
${wrapHelpLine(exitStatusHelp({
    ok: "match",
    failed: "mismatch, too many errors or inconclusive (the cap reached first)",
    toolError: "tool error (nothing answered like the sample: unreachable, wrong URL or version pattern; an unreadable stack)",
}), 0)}`;

export const VERIFY_FLAGS = {
    ...TARGET_FLAGS,
    ...TEST_FLAGS,
    stack: { type: "string" },
    expect: { type: "string" },
    concurrency: { type: "string" },
    timeout: { type: "string" },
    "version-pattern": { type: "string" },
    "max-error-rate": { type: "string" },
    json: { type: "boolean", default: false },
} as const;

/** What the command line asks: verify's options but the expected split, which is read from where it names. */
export interface VerifyCliOptions {
    verify: Omit<VerifyOptions, "expected" | "expectedFrom" | "progress">;
    expectation: ExpectationSource;
    json: boolean;
}

/** Throws UsageError. */
export function verifyCliOptions({ values }: ParsedFlags<typeof VERIFY_FLAGS>): VerifyCliOptions {
    const target = targetOptions(values);
    if ((values.stack === undefined) === (values.expect === undefined)) {
        throw new UsageError("give exactly one of --stack <name> or --expect v1=80,v2=20");
    }
    return {
        verify: {
            ...target,
            ...testOptions(values),
            ...(values.concurrency === undefined ? {} : {
                concurrency: numberFlag("--concurrency", values.concurrency, (v) => Number.isInteger(v) && v >= 1 && v <= 1024, "a whole number from 1 to 1024"),
            }),
            ...(values.timeout === undefined ? {} : {
                timeoutMs: durationFlag("--timeout", values.timeout, { minMs: 1, maxMs: 3_600_000, examples: "10s or 500ms" }),
            }),
            ...(values["version-pattern"] === undefined ? {} : { versionPattern: parsePattern(values["version-pattern"]) }),
            ...(values["max-error-rate"] === undefined ? {} : {
                maxErrorRate: numberFlag("--max-error-rate", values["max-error-rate"], (v) => v > 0 && v < 1,
                    "a share above 0 and below 1, e.g. 0.05 (a MATCH must show the error rate below it, which no number of requests can do for 0)"),
            }),
        },
        expectation: values.stack !== undefined ? { kind: "stack", stack: values.stack } : { kind: "expect", text: values.expect ?? "" },
        json: values.json,
    };
}

function parsePattern(text: string): RegExp {
    const problem = versionPatternProblem(text);
    if (problem !== undefined) {
        throw new UsageError(`--version-pattern ${problem}`);
    }
    return new RegExp(text);
}
