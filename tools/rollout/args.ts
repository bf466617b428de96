// Command-line options of `npm run rollout`, checked before anything runs: a bad value is one line, exit 64.
import { flagParser } from "../flag-parser.ts";
import { DEFAULTS as VERIFY_DEFAULTS } from "../verify/args.ts";
import { SHARED_OPTIONS, TEST_FLAGS } from "../verify/shared-flags.ts";
import { RolloutUsageError } from "./plan.ts";
import { DEFAULT_ROLLOUT, METRICS_OPTIONS, type MetricsOption, parseDurationMs, stepsSchema } from "../../config/index.ts";

export const HELP = `Usage: npm run rollout -- --stack <name> --to <version> --url http://<ingress>/hello [options]

Moves traffic to <version> step by step: each step sets the weights in Pulumi.<name>.yaml and runs
\`pulumi up\` with the policy pack; after each step the split users get (verify's sequential test) and,
with --prometheus, the canary's success rate and p99 decide whether to go on or roll back.

  --stack <name>             the stack (Pulumi.<name>.yaml in the current folder)
  --to <version>             the canary; the stable version is the one other version with traffic
  --url <url>                the sample's /hello behind the ingress: it must answer before the first step; verified after each
  --host <name>              Host header to send (an ingress that routes by host)
  --steps <w,w,...>          the canary's weight per step, rising, ending at 100 (stack: rollout.steps; default 10,25,50,100)
  --pause <duration>         how long each step is observed, e.g. 30s, 5m (stack: rollout.pause; default 1m)
  --settle <duration>        wait after each update before verifying, for the mesh to push the routes
                             (stack: rollout.analysis.settle; default 5s)
  --prometheus <url>         Prometheus scraping the mesh's proxies (optional; it too must answer before the first step)
  --metrics <source>         with --prometheus: istio (Istio's istio_requests_total), envoy (the gateway's
                             per-subset cluster stats, for a gateway without Istio's stats filter) or auto
                             (istio when Prometheus has its series for the Service, else envoy;
                             stack: rollout.analysis.metrics; default ${DEFAULT_ROLLOUT.analysis.metrics})
  --min-success-rate <pct>   the canary's share of non-5xx answers (stack: rollout.analysis.minSuccessRate; default 99)
  --max-p99 <duration>       the canary's 99th percentile latency (stack: rollout.analysis.maxP99; default 500ms)
  --min-requests <n>         canary requests needed to judge a step (stack: rollout.analysis.minRequests; default 100)
  --max-pause <duration>     how long a pause may be extended to reach them (stack: rollout.analysis.maxPause; default 10m)
  --tolerance <pp>           verify: allowed distance from each weight (default ${VERIFY_DEFAULTS.tolerance})
  --confidence <c>           verify: confidence of its verdicts (default ${VERIFY_DEFAULTS.confidence})
  --max-requests <n>         verify: cap on requests per check (default ${VERIFY_DEFAULTS.maxRequests})
  --retire                   after promotion, retire the old version (the second \`up\` of the retirement)
  --json                     one JSON object per event, one a line, instead of the progress lines and table
  -h, --help                 show this help

Exit codes: 0 promoted, 1 rolled back, 2 tool error (nothing advanced; rerun to resume), 64 usage error.`;

/** What the flags say; undefined where the stack's rollout config (or its default) applies. */
export interface RolloutOptions {
    stack: string;
    to: string;
    url: string;
    host?: string;
    steps?: number[];
    pauseMs?: number;
    settleMs?: number;
    prometheus?: URL;
    metrics?: MetricsOption;
    minSuccessRate?: number;
    maxP99Ms?: number;
    minRequests?: number;
    maxPauseMs?: number;
    /** Passed to verify as they are (it checks them). */
    verifyFlags: string[];
    retire: boolean;
    json: boolean;
}

const flags = flagParser(RolloutUsageError);

export function parseRolloutArgs(argv: string[]): RolloutOptions | "help" {
    const values = flags.parse(argv, {
        stack: { type: "string" },
        to: { type: "string" },
        ...SHARED_OPTIONS,
        steps: { type: "string" },
        pause: { type: "string" },
        settle: { type: "string" },
        prometheus: { type: "string" },
        metrics: { type: "string" },
        "min-success-rate": { type: "string" },
        "max-p99": { type: "string" },
        "min-requests": { type: "string" },
        "max-pause": { type: "string" },
        retire: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
    });
    if (values.help) {
        return "help";
    }
    for (const flag of ["stack", "to", "url"] as const) {
        if (values[flag] === undefined) {
            throw new RolloutUsageError(`--${flag} is required; see --help`);
        }
    }
    const verifyFlags = TEST_FLAGS.flatMap((flag) => (values[flag] === undefined ? [] : [`--${flag}`, values[flag]]));
    return {
        stack: values.stack as string,
        to: values.to as string,
        url: values.url as string,
        ...(values.host === undefined ? {} : { host: values.host }),
        ...(values.steps === undefined ? {} : { steps: parseSteps(values.steps) }),
        ...(values.pause === undefined ? {} : { pauseMs: duration("--pause", values.pause) }),
        ...(values.settle === undefined ? {} : { settleMs: duration("--settle", values.settle) }),
        ...(values.prometheus === undefined ? {} : { prometheus: flags.httpUrl("--prometheus", values.prometheus, "http://prometheus:9090") }),
        ...(values.metrics === undefined ? {} : { metrics: metricsOption(values.metrics, values.prometheus !== undefined) }),
        ...(values["min-success-rate"] === undefined ? {} : {
            minSuccessRate: flags.number("--min-success-rate", values["min-success-rate"], (v) => v >= 0 && v <= 100, "a percentage from 0 to 100, e.g. 99"),
        }),
        ...(values["max-p99"] === undefined ? {} : { maxP99Ms: duration("--max-p99", values["max-p99"]) }),
        ...(values["min-requests"] === undefined ? {} : {
            minRequests: flags.number("--min-requests", values["min-requests"], (v) => Number.isInteger(v) && v >= 1, "a whole number of at least 1"),
        }),
        ...(values["max-pause"] === undefined ? {} : { maxPauseMs: duration("--max-pause", values["max-pause"]) }),
        verifyFlags,
        retire: values.retire,
        json: values.json,
    };
}

/** "10,25,50,100", by the same rule as the stack's rollout.steps. */
function parseSteps(text: string): number[] {
    const numbers = text.split(",").map((part) => (part.trim() === "" ? NaN : Number(part)));
    const result = stepsSchema.safeParse(numbers);
    if (!result.success) {
        throw new RolloutUsageError(`--steps '${text}' ${result.error.issues[0]?.message ?? "is invalid"}`);
    }
    return result.data;
}

function metricsOption(text: string, withPrometheus: boolean): MetricsOption {
    const option = METRICS_OPTIONS.find((o) => o === text);
    if (option === undefined) {
        throw new RolloutUsageError(`--metrics '${text}' is invalid: use ${METRICS_OPTIONS.join(", ")}`);
    }
    if (!withPrometheus) {
        throw new RolloutUsageError("--metrics chooses what to read from Prometheus: give --prometheus too");
    }
    return option;
}

function duration(flag: string, text: string): number {
    const ms = parseDurationMs(text);
    if (ms === undefined) {
        throw new RolloutUsageError(`${flag} '${text}' is not a duration; use e.g. 30s, 5m or 500ms`);
    }
    return ms;
}
