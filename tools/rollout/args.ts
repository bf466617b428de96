// The command line of `npm run rollout`, checked before anything runs: a bad value is one line, exit 64.
import { UsageError } from "../command/errors.ts";
import { DURATION_HELP, durationFlag } from "../command/duration.ts";
import { exitStatusHelp } from "../command/exit-codes.ts";
import { httpUrlFlag, numberFlag, type ParsedFlags } from "../command/flags.ts";
import { wrapHelpLine } from "../command/usage.ts";
import type { VerifyOptions } from "../verify/options.ts";
import { requestOptions, TARGET_FLAGS, TEST_DEFAULTS, TEST_FLAGS, testOptions } from "../verify/shared-flags.ts";
import { DEFAULT_ROLLOUT, METRICS_OPTIONS, type MetricsOption, stepsSchema } from "../../config/index.ts";

export const USAGE = "Usage: npm run rollout -- --stack <name> --to <version> --url http://<ingress>/hello [options]";

export const HELP = `Moves traffic to <version> step by step: each step sets the weights in Pulumi.<name>.yaml and runs
\`pulumi up\` with the policy pack; after each step the split users get (verify's sequential test) and,
with --prometheus, the canary's success rate and p99 decide whether to go on or roll back.

  --stack <name>             the stack (Pulumi.<name>.yaml in the current folder)
  --to <version>             the canary; the stable version is the one other version with traffic
  --url <url>                the sample's /hello behind the ingress: it must answer before the first step; verified after each
  --cluster-url <c>=<url>    with the stack's rollout.waves, instead of --url: the sample's /hello behind cluster <c>'s
                             ingress gateway; repeatable, one for every cluster of the waves (a wave's steps are
                             verified at its own clusters' gateways)
  --host <name>              Host header to send (an ingress that routes by host)
  --header 'name: value'     a header to send with every request; repeatable
  --steps <w,w,...>          the canary's weight per step, rising, ending at 100 (stack: rollout.steps; default ${DEFAULT_ROLLOUT.steps.join(",")})
  --pause <duration>         how long each step is observed, e.g. 30s, 5m (stack: rollout.pause; default ${DEFAULT_ROLLOUT.pause})
  --settle <duration>        wait after each update before verifying, for the mesh to push the routes
                             (stack: rollout.analysis.settle; default ${DEFAULT_ROLLOUT.analysis.settle})
  --prometheus <url>         Prometheus scraping the mesh's proxies (optional; it too must answer before the first step)
  --metrics <source>         with --prometheus: istio (Istio's istio_requests_total), envoy (the gateway's
                             per-subset cluster stats, for a gateway without Istio's stats filter) or auto
                             (istio when Prometheus has its series for the Service, else envoy;
                             stack: rollout.analysis.metrics; default ${DEFAULT_ROLLOUT.analysis.metrics})
  --min-success-rate <pct>   the canary's share of non-5xx answers (stack: rollout.analysis.minSuccessRate; default ${DEFAULT_ROLLOUT.analysis.minSuccessRate})
  --max-p99 <duration>       the canary's 99th percentile latency (stack: rollout.analysis.maxP99; default ${DEFAULT_ROLLOUT.analysis.maxP99})
  --min-requests <n>         canary requests needed to judge a step (stack: rollout.analysis.minRequests; default ${DEFAULT_ROLLOUT.analysis.minRequests})
  --max-pause <duration>     how long a pause may be extended to reach them, at least the pause
                             (stack: rollout.analysis.maxPause; default ${DEFAULT_ROLLOUT.analysis.maxPause})
  --tolerance <pp>           verify: allowed distance from each weight (default ${TEST_DEFAULTS.tolerance})
  --confidence <c>           verify: confidence of its verdicts (default ${TEST_DEFAULTS.confidence})
  --max-requests <n>         verify: cap on requests per check (default ${TEST_DEFAULTS.maxRequests})
  --retire                   after promotion, retire the old version (the second \`up\` of the retirement)
  --json                     one JSON object per event, one a line, instead of the progress lines and table
  -h, --help                 show this help

${DURATION_HELP} The stack's durations are read the same way.
${wrapHelpLine(exitStatusHelp({
    ok: "promoted",
    failed: "rolled back",
    toolError: "tool error (the stack stays at its last applied step; the message says whether to fix something first or rerun to resume)",
}), 0)}`;

export const ROLLOUT_FLAGS = {
    ...TARGET_FLAGS,
    ...TEST_FLAGS,
    "cluster-url": { type: "string", multiple: true },
    stack: { type: "string" },
    to: { type: "string" },
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
} as const;

/** What the flags say; undefined where the stack's rollout config (or its default) applies. */
export interface RolloutOptions {
    stack: string;
    to: string;
    /** verify's test settings and what goes with every request; each step adds its weights and ingress. */
    verify: Omit<VerifyOptions, "url" | "expected" | "expectedFrom" | "progress">;
    /** Where verify sends its requests without rollout.waves. */
    url?: URL;
    /** With rollout.waves: each cluster's gateway, where its wave's steps are verified. */
    clusterUrls?: Record<string, URL>;
    steps?: number[];
    pauseMs?: number;
    settleMs?: number;
    prometheus?: URL;
    metrics?: MetricsOption;
    minSuccessRate?: number;
    maxP99Ms?: number;
    minRequests?: number;
    maxPauseMs?: number;
    retire: boolean;
    json: boolean;
}

/** Throws UsageError. */
export function rolloutOptions({ values }: ParsedFlags<typeof ROLLOUT_FLAGS>): RolloutOptions {
    for (const flag of ["stack", "to"] as const) {
        if (values[flag] === undefined) {
            throw new UsageError(`--${flag} is required`);
        }
    }
    const clusterUrls = values["cluster-url"] ?? [];
    if (values.url === undefined && clusterUrls.length === 0) {
        throw new UsageError("--url is required (with rollout.waves, --cluster-url <cluster>=<url> for each cluster instead)");
    }
    if (values.url !== undefined && clusterUrls.length > 0) {
        throw new UsageError("--url and --cluster-url exclude each other: --url for a rollout of every cluster at once, --cluster-url with rollout.waves");
    }
    return {
        stack: values.stack as string,
        to: values.to as string,
        verify: { ...requestOptions(values), ...testOptions(values) },
        ...(values.url === undefined ? {} : { url: httpUrlFlag("--url", values.url, "http://<ingress>/hello") }),
        ...(clusterUrls.length === 0 ? {} : { clusterUrls: clusterUrlFlags(clusterUrls) }),
        ...(values.steps === undefined ? {} : { steps: parseSteps(values.steps) }),
        ...(values.pause === undefined ? {} : { pauseMs: durationFlag("--pause", values.pause) }),
        ...(values.settle === undefined ? {} : { settleMs: durationFlag("--settle", values.settle) }),
        ...(values.prometheus === undefined ? {} : { prometheus: httpUrlFlag("--prometheus", values.prometheus, "http://prometheus:9090") }),
        ...(values.metrics === undefined ? {} : { metrics: metricsOption(values.metrics, values.prometheus !== undefined) }),
        ...(values["min-success-rate"] === undefined ? {} : {
            minSuccessRate: numberFlag("--min-success-rate", values["min-success-rate"], (v) => v >= 0 && v <= 100, "a percentage from 0 to 100, e.g. 99"),
        }),
        ...(values["max-p99"] === undefined ? {} : { maxP99Ms: durationFlag("--max-p99", values["max-p99"]) }),
        ...(values["min-requests"] === undefined ? {} : {
            minRequests: numberFlag("--min-requests", values["min-requests"], (v) => Number.isInteger(v) && v >= 1, "a whole number of at least 1"),
        }),
        ...(values["max-pause"] === undefined ? {} : { maxPauseMs: durationFlag("--max-pause", values["max-pause"]) }),
        retire: values.retire,
        json: values.json,
    };
}

/**
 * "10,25,50,100", by the same rules as the stack's rollout.steps; a problem with one step names that
 * step, its value and the rule it breaks.
 */
export function parseSteps(text: string): number[] {
    const parts = text.split(",").map((part) => part.trim());
    const weights = parts.map((part) => (part === "" ? NaN : Number(part)));
    for (const [i, weight] of weights.entries()) {
        const problem = stepsSchema.element.safeParse(weight).error?.issues[0]?.message;
        if (problem !== undefined) {
            throw new UsageError(`--steps '${text}': step ${i + 1}, '${parts[i] ?? ""}', ${problem}`);
        }
        const before = weights[i - 1];
        if (before !== undefined && weight <= before) {
            throw new UsageError(`--steps '${text}': step ${i + 1}, ${weight}, must be above step ${i}, ${before}: the canary's weight rises from step to step`);
        }
    }
    const result = stepsSchema.safeParse(weights);
    if (!result.success) {
        throw new UsageError(`--steps '${text}' ${result.error.issues[0]?.message ?? "is invalid"}`);
    }
    return result.data;
}

/** Each `--cluster-url <cluster>=<url>`, by cluster; a cluster given twice is refused. */
function clusterUrlFlags(texts: readonly string[]): Record<string, URL> {
    const urls: Record<string, URL> = {};
    for (const text of texts) {
        const at = text.indexOf("=");
        const cluster = at > 0 ? text.slice(0, at) : "";
        if (cluster === "" || at === text.length - 1) {
            throw new UsageError(`--cluster-url '${text}' is invalid: use <cluster>=<url>, e.g. --cluster-url mdemo-cluster1=http://<its ingress>/hello`);
        }
        if (urls[cluster] !== undefined) {
            throw new UsageError(`--cluster-url: ${cluster} is given twice; give each cluster's gateway once`);
        }
        urls[cluster] = httpUrlFlag(`--cluster-url ${cluster}`, text.slice(at + 1), "http://<its ingress>/hello");
    }
    return urls;
}

function metricsOption(text: string, withPrometheus: boolean): MetricsOption {
    const option = METRICS_OPTIONS.find((o) => o === text);
    if (option === undefined) {
        throw new UsageError(`--metrics '${text}' is invalid: use ${METRICS_OPTIONS.join(", ")}`);
    }
    if (!withPrometheus) {
        throw new UsageError("--metrics chooses what to read from Prometheus: give --prometheus too");
    }
    return option;
}
