// The `rollout` key: the plan `npm run rollout` follows (`rollout: { steps, pause, analysis }`), in the
// stack file so that it is reviewed in the pull request with the rest of the stack. The rollout's
// flags override it through the same rules (tools/rollout/args.ts).
import { z } from "zod";
import { duration, parseDurationMs } from "./duration.ts";
import { abTestSchema } from "./routing.ts";

export { duration, parseDurationMs };

/** The canary's weights, one per step: whole numbers, rising, the last one 100. */
export const stepsSchema = z.array(
    z.number({ error: "must be a whole number from 1 to 100" }).int({ error: "must be a whole number from 1 to 100" })
        .min(1, { error: "must be a whole number from 1 to 100" }).max(100, { error: "must be a whole number from 1 to 100" }),
    { error: "must be a list of the canary's weights, e.g. [10, 25, 50, 100]" },
).min(1, { error: "must list at least one step, e.g. [10, 25, 50, 100]" })
    .refine((steps) => steps.every((w, i) => i === 0 || w > (steps[i - 1] as number)), { error: "must rise from step to step, e.g. [10, 25, 50, 100]" })
    .refine((steps) => steps.at(-1) === 100, { error: "must end at 100: a rollout ends with the canary taking all traffic" });

/**
 * Where the canary's figures come from in Prometheus: Istio's standard metrics (`istio`), the gateway
 * Envoy's per-subset cluster stats (`envoy`, for proxies without Istio's stats filter), or whichever
 * Prometheus has for the Service (`auto`).
 */
export const METRICS_SOURCES = ["istio", "envoy"] as const;
export const METRICS_OPTIONS = [...METRICS_SOURCES, "auto"] as const;
export type MetricsSource = typeof METRICS_SOURCES[number];
export type MetricsOption = typeof METRICS_OPTIONS[number];

export const DEFAULT_ROLLOUT = {
    steps: [10, 25, 50, 100],
    pause: "1m",
    analysis: { settle: "5s", minSuccessRate: 99, maxP99: "500ms", minRequests: 100, maxPause: "10m", metrics: "auto" },
} as const;
// Durations are given as text (in the stack file and in flags) and default through the same parse.

const percent = z.number({ error: "must be a percentage from 0 to 100" })
    .min(0, { error: "must be a percentage from 0 to 100" }).max(100, { error: "must be a percentage from 0 to 100" });

export const analysisSchema = z.strictObject({
    /**
     * Wait this long after an update before verify sends its first request: istiod needs a moment to push
     * the new routes to the gateways, and answers routed by the old ones would bias the test.
     */
    settle: duration("5s").prefault(DEFAULT_ROLLOUT.analysis.settle),
    /** Percent of the canary's requests that must not answer 5xx. */
    minSuccessRate: percent.default(DEFAULT_ROLLOUT.analysis.minSuccessRate),
    /** The canary's 99th percentile latency must not exceed this. */
    maxP99: duration("500ms").prefault(DEFAULT_ROLLOUT.analysis.maxP99),
    /** Below this many canary requests in the window a step is not judged yet. */
    minRequests: z.number({ error: "must be a whole number of requests" }).int({ error: "must be a whole number of requests" })
        .min(1, { error: "must be at least 1" }).default(DEFAULT_ROLLOUT.analysis.minRequests),
    /** How long a pause may be extended waiting for minRequests; then the step is inconclusive. */
    maxPause: duration("10m").prefault(DEFAULT_ROLLOUT.analysis.maxPause),
    /** Which metrics the canary is judged on, with --prometheus. */
    metrics: z.enum(METRICS_OPTIONS, { error: `must be one of ${METRICS_OPTIONS.join(", ")}` }).default(DEFAULT_ROLLOUT.analysis.metrics),
});

/** The pause may be extended up to maxPause, so it cannot be longer; undefined when they fit. */
export function maxPauseProblem(pauseMs: number, maxPauseMs: number): string | undefined {
    return maxPauseMs >= pauseMs ? undefined
        : `the longest pause (${maxPauseMs / 1000} s) is shorter than the pause (${pauseMs / 1000} s); raise it`;
}

/**
 * The config targets moved together, one wave after another: each wave's steps set its clusters'
 * `clusters.<c>.weights` alone, so a multi-primary mesh moves one cluster's gateways at a time. Which
 * names are config targets is a rule across keys (wavesProblems).
 */
export const wavesSchema = z.array(
    z.array(z.string({ error: "must be a cluster name (a string)" }), { error: "must be a list of cluster names, e.g. [mdemo-cluster1]" })
        .min(1, { error: "must name at least one cluster: a wave moves its clusters together" }),
    { error: "must be a list of waves, each a list of cluster names, e.g. [[mdemo-cluster1], [mdemo-cluster2]]" },
).min(1, { error: "must list at least one wave, e.g. [[mdemo-cluster1], [mdemo-cluster2]]" });

/**
 * The rollout's mirror phase (Flagger's `analysis.mirror`): before any weight moves (and before the A/B
 * phase), routing.mirror copies `percent` of the requests to the canary, whose answers nobody gets,
 * and the canary is judged on the copies for `pause` (default: rollout.pause).
 */
export const mirrorPhaseSchema = z.strictObject({
    percent: z.number({ error: "must be a percentage above 0, up to 100" }).gt(0, { error: "must be a percentage above 0, up to 100" })
        .max(100, { error: "must be a percentage above 0, up to 100" }).default(100),
    pause: duration("1m").optional(),
}, { error: "must be a map such as { percent: 100, pause: 2m }" });

export const rolloutSchema = z.strictObject({
    steps: stepsSchema.default([...DEFAULT_ROLLOUT.steps]),
    /** Left out, every config target moves at once (the global `weights`). */
    waves: wavesSchema.optional(),
    /** Left out, no mirror phase. */
    mirror: mirrorPhaseSchema.optional(),
    /** Left out, no A/B phase. */
    abTest: abTestSchema.optional(),
    /** How long each step is observed before the next. */
    pause: duration("1m").prefault(DEFAULT_ROLLOUT.pause),
    analysis: analysisSchema.prefault({}),
}).superRefine((plan, ctx) => {
    // Runs even when a field failed (its problem is reported already): judge only durations that parsed.
    if (!Number.isFinite(plan.analysis.maxPause)) {
        return;
    }
    // A phase's pause is extended as a step's is, up to the same longest pause.
    for (const [pause, path] of [[plan.pause, ["analysis", "maxPause"]], [plan.mirror?.pause, ["mirror", "pause"]], [plan.abTest?.pause, ["abTest", "pause"]]] as const) {
        const problem = pause === undefined || !Number.isFinite(pause) ? undefined : maxPauseProblem(pause, plan.analysis.maxPause);
        if (problem !== undefined) {
            ctx.addIssue({ code: "custom", path: [...path], message: problem });
        }
    }
}).prefault({});

/** The validated rollout plan; durations in milliseconds. */
export type RolloutSettings = z.infer<typeof rolloutSchema>;

/**
 * The waves against the clusters: every name a config target (istioConfig: true), each in one wave
 * only, and every config target in some wave (a target left out would never move, and the promotion
 * would then move it untested).
 */
export function wavesProblems(waves: readonly (readonly string[])[], clusters: Record<string, { istioConfig: boolean }>): { path: string; message: string }[] {
    const problems: { path: string; message: string }[] = [];
    const targets = Object.keys(clusters).filter((name) => clusters[name]?.istioConfig === true);
    const seen = new Map<string, string>();
    waves.forEach((wave, w) => wave.forEach((name, i) => {
        const at = `rollout.waves[${w}][${i}]`;
        if (clusters[name] === undefined) {
            problems.push({ path: at, message: `'${name}' is not a cluster of this stack; use one of ${targets.join(", ")}` });
        } else if (!targets.includes(name)) {
            problems.push({ path: at, message: `'${name}' holds no Istio config, so no VirtualService of its own moves; use one of ${targets.join(", ")}` });
        } else if (seen.has(name)) {
            problems.push({ path: at, message: `'${name}' is already in ${seen.get(name)}; a cluster moves in one wave only` });
        } else {
            seen.set(name, `rollout.waves[${w}]`);
        }
    }));
    const missing = targets.filter((name) => !seen.has(name) && waves.every((wave) => !wave.includes(name)));
    if (missing.length > 0) {
        problems.push({ path: "rollout.waves", message: `leaves out ${missing.join(", ")}, which hold Istio config; add ${missing.length === 1 ? "it" : "them"} to a wave` });
    }
    return problems;
}
