// After a step is applied: is it good? First the split users get, with verify's sequential test run
// in-process (the same code as `npm run verify`); then, over the step's pause, the canary's health from
// Prometheus. A failed check is a verdict (roll back); a check that cannot run is a tool error.
import { setTimeout as sleep } from "node:timers/promises";
import type { VerifyOptions } from "../verify/options.ts";
import type { VerdictKind } from "../verify/report.ts";
import { verifySplit } from "../verify/verify-split.ts";
import type { RolloutPair, Weights } from "./plan.ts";
import { queryHealth, type MetricsSource, type ServiceTarget, type VersionHealth } from "./prometheus.ts";

/** The ingress cannot be reached at all: the split cannot be judged (a tool error). */
export class IngressError extends Error {
    override name = "IngressError";
}

/** What a step's verify found, as the rollout reports it. */
export interface SplitCheck {
    verdict: VerdictKind;
    /** Responses that named a version, the sample the verdict rests on. */
    responses: number;
    summary: string;
    /** The whole in-process run: designing the tests (exact thresholds, CPU) and the requests. */
    seconds: number;
    /** The requests alone, from the first to the verdict. */
    requestSeconds: number;
}

export interface HealthResult extends VersionHealth {
    /** The window the figures cover, seconds (the pause, or longer when it was extended). */
    windowSeconds: number;
}

/** Which check failed, and its numbers in one sentence. */
export interface CheckFailure {
    check: "verify" | "success rate" | "p99" | "request count";
    message: string;
}

export interface StepAnalysis {
    verify: SplitCheck;
    /** The canary's figures; absent without --prometheus, or when verify already failed. */
    health?: HealthResult;
    failure?: CheckFailure;
}

/** verify's options but the split, which each step gives. */
export type SplitTarget = Omit<VerifyOptions, "expected" | "expectedFrom" | "progress">;

/** verify's test settings and what goes with every request; the ingress comes from the step's scope. */
export type VerifySettings = Omit<SplitTarget, "url">;

/** One check verify makes: at an ingress, with headers of its own, the weights it must find. */
export interface SplitProbe {
    url: URL;
    weights: Weights;
    /** Sent with every request, over --header's (a phase's testers' headers). */
    headers?: Record<string, string>;
    /** Names the check in the verdict when a step makes several: a wave's cluster, the testers. */
    label?: string;
}

/**
 * Where a step is judged: what verify must find (at --url, or at each of a wave's gateways; in the A/B
 * phase, the testers' requests too) and, in a wave, the clusters whose routed requests Prometheus counts.
 */
export interface StepScope {
    probes: readonly SplitProbe[];
    /** Absent: every request to the canary counts. */
    clusters?: readonly string[];
}

export interface AnalysisSettings {
    /** verify's test settings. */
    verify: VerifySettings;
    /** Between the update and verify's first request (the mesh's config propagation). */
    settleMs: number;
    pauseMs: number;
    /** Prometheus and the source its figures come from; absent without --prometheus. */
    metrics?: { prometheus: URL; source: MetricsSource };
    /** The release's Service: every query names it. */
    service: ServiceTarget;
    minSuccessRate: number;
    maxP99Ms: number;
    minRequests: number;
    maxPauseMs: number;
}

/** verify against the weights, in-process: the same design, sampling and verdict as `npm run verify`. */
export async function checkSplit(target: SplitTarget, weights: Weights, pair: RolloutPair): Promise<SplitCheck> {
    const expected = [pair.stable, pair.canary].map((version) => ({ version, share: (weights[version] ?? 0) / 100 }));
    const started = performance.now();
    const result = await verifySplit({ ...target, expected });
    const seconds = (performance.now() - started) / 1000;
    if (result.verdict === "errors" && result.requests.versionResponses === 0 && result.errors.byKind.connection === result.errors.total) {
        throw new IngressError(result.summary.replace(/\.$/, ""));
    }
    return { verdict: result.verdict, responses: result.requests.versionResponses, summary: result.summary, seconds, requestSeconds: result.seconds };
}

/**
 * verify for each probe in turn; every one must MATCH, and the first that does not is the verdict
 * (the rest are not asked: the step fails either way). With several, the summary names each.
 */
export async function checkProbes(settings: VerifySettings, probes: readonly SplitProbe[], pair: RolloutPair): Promise<SplitCheck> {
    const checks: { probe: SplitProbe; check: SplitCheck }[] = [];
    for (const probe of probes) {
        const headers = { ...settings.headers, ...probe.headers };
        const check = await checkSplit({ ...settings, url: probe.url, ...(Object.keys(headers).length === 0 ? {} : { headers }) }, probe.weights, pair);
        checks.push({ probe, check });
        if (check.verdict !== "match") {
            break;
        }
    }
    const last = checks.at(-1);
    if (last === undefined) {
        throw new Error("checkProbes needs at least one probe");
    }
    if (probes.length === 1) {
        return last.check;
    }
    return {
        verdict: last.check.verdict,
        responses: checks.reduce((sum, c) => sum + c.check.responses, 0),
        summary: checks.map((c) => `${c.probe.label ?? c.probe.url.href}: ${c.check.summary.replace(/\.$/, "")}`).join("; "),
        seconds: checks.reduce((sum, c) => sum + c.check.seconds, 0),
        requestSeconds: checks.reduce((sum, c) => sum + c.check.requestSeconds, 0),
    };
}

/**
 * Analyses the step applied at `appliedAt` (ms since the epoch) and returns once it is judged: after
 * its pause, or extended up to maxPause while Prometheus has seen too few canary requests.
 */
export async function analyseStep(settings: AnalysisSettings, scope: StepScope, pair: RolloutPair, appliedAt: number): Promise<StepAnalysis> {
    await sleepUntil(appliedAt + settings.settleMs);
    const verify = await checkProbes(settings.verify, scope.probes, pair);
    if (verify.verdict !== "match") {
        return { verify, failure: { check: "verify", message: verify.summary } };
    }
    await sleepUntil(appliedAt + settings.pauseMs);
    if (settings.metrics === undefined) {
        return { verify };
    }
    const { prometheus, source } = settings.metrics;
    const poll = Math.min(15_000, Math.max(1000, settings.pauseMs / 10));
    for (;;) {
        const windowMs = Date.now() - appliedAt;
        const canary = await queryHealth({
            prometheus, source, service: settings.service, version: pair.canary, windowMs, ...(scope.clusters === undefined ? {} : { clusters: scope.clusters }),
        });
        const health: HealthResult = { ...canary, windowSeconds: Math.round(windowMs / 100) / 10 };
        if (canJudge(canary, settings.minRequests)) {
            const failure = judgeHealth(health, pair.canary, settings);
            return failure === undefined ? { verify, health } : { verify, health, failure };
        }
        if (windowMs + poll > settings.maxPauseMs) {
            return { verify, health, failure: notJudged(health, pair.canary, settings) };
        }
        await sleep(poll);
    }
}

/**
 * Enough requests, and a latency figure for them. Envoy puts its histograms into its stats only at
 * each stats flush (every 5 s by default), so a window shorter than that can count requests and
 * still have no p99: that is not yet a figure, let alone a failing one.
 */
export function canJudge(health: VersionHealth, minRequests: number): boolean {
    return health.requests >= minRequests && health.p99Ms !== null;
}

/** Why a step the pause could not extend any further was never judged. */
export function notJudged(health: HealthResult, canary: string, settings: Pick<AnalysisSettings, "minRequests" | "maxPauseMs">): CheckFailure {
    const limit = `the pause cannot be extended past ${settings.maxPauseMs / 1000} s`;
    if (health.requests < settings.minRequests) {
        return {
            check: "request count",
            message: `inconclusive: Prometheus saw ${health.requests} requests to ${canary} in ${health.windowSeconds} s, ` +
                `fewer than the ${settings.minRequests} needed to judge it, and ${limit}`,
        };
    }
    return {
        check: "p99",
        message: `inconclusive: Prometheus saw ${health.requests} requests to ${canary} in ${health.windowSeconds} s but no latency ` +
            `histogram for them (a proxy's histograms reach Prometheus at its stats flush), and ${limit}`,
    };
}

/** The thresholds, Flagger-style: a success rate at or above the minimum, a p99 at or below the maximum. */
export function judgeHealth(health: HealthResult, canary: string, settings: Pick<AnalysisSettings, "minSuccessRate" | "maxP99Ms">): CheckFailure | undefined {
    const over = `${health.requests} requests in ${health.windowSeconds} s`;
    if (health.successRate === null || health.successRate < settings.minSuccessRate) {
        return { check: "success rate", message: `${canary} answered ${formatPercent(health.successRate)} of ${over} without a 5xx, below the minimum ${settings.minSuccessRate}%` };
    }
    if (health.p99Ms === null || health.p99Ms > settings.maxP99Ms) {
        return { check: "p99", message: `${canary}'s p99 latency was ${formatMs(health.p99Ms)} over ${over}, above the maximum ${settings.maxP99Ms} ms` };
    }
    return undefined;
}

export function formatPercent(value: number | null): string {
    return value === null ? "n/a" : `${value >= 99.95 && value < 100 ? value.toFixed(2) : value.toFixed(1)}%`;
}

export function formatMs(value: number | null): string {
    return value === null ? "n/a" : `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
}

async function sleepUntil(time: number): Promise<void> {
    const wait = time - Date.now();
    if (wait > 0) {
        await sleep(wait);
    }
}
