// Runs the decision engine against a simulated ingress, with no HTTP: what the calibration test and the
// benchmark use to measure error rates and requests-to-verdict over thousands of runs.
import { SplitDecision, type Verdict } from "./decision.ts";
import { designErrorTests, designSplit, type ExpectedShare } from "./design.ts";
import { weightedPicker } from "./random.ts";

export interface SimulationInput {
    expected: ExpectedShare[];
    /** What the simulated ingress really serves; "error" is a failed request. */
    truth: ReadonlyArray<{ name: string; weight: number }>;
    tolerance: number;
    confidence: number;
    maxRequests: number;
    maxErrorRate: number;
}

export interface SimulatedRun {
    verdict: Verdict["kind"] | "inconclusive";
    requests: number;
}

/** Runs `runs` independent verifications with one design (the thresholds are computed once). */
export function simulateRuns(input: SimulationInput, runs: number, random: () => number): SimulatedRun[] {
    const horizon = input.maxRequests;
    const design = designSplit({ expected: input.expected, tolerance: input.tolerance, confidence: input.confidence, horizon });
    const errorTests = designErrorTests({ maxErrorRate: input.maxErrorRate, confidence: input.confidence, horizon });
    const pick = weightedPicker(input.truth, random);
    const results: SimulatedRun[] = [];
    for (let r = 0; r < runs; r++) {
        const decision = new SplitDecision(design, errorTests);
        let verdict: Verdict | undefined;
        while (verdict === undefined && decision.attempts < input.maxRequests) {
            const name = pick();
            verdict = decision.observe(name === "error"
                ? { kind: "error", error: "status", detail: "HTTP 503" }
                : { kind: "version", version: name });
        }
        results.push({ verdict: verdict?.kind ?? "inconclusive", requests: decision.attempts });
    }
    return results;
}

/** The q-quantile (0..1) of a list of numbers, by the nearest-rank method. */
export function quantile(values: readonly number[], q: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
