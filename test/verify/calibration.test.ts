// Seeded simulations of whole verifications: the error rates the README promises, and the efficiency
// targets of issue #4. Deterministic (fixed seeds), so a failure is a real change, not noise.
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../tools/verify/random.ts";
import { quantile, simulateRuns, type SimulationInput } from "../../tools/verify/simulate.ts";
import { fixedSampleSize } from "../../tools/verify/tost.ts";

const expected = [{ version: "v1", share: 0.8 }, { version: "v2", share: 0.2 }];
const truth = (v1: number, v2: number) => [{ name: "v1", weight: v1 }, { name: "v2", weight: v2 }];
const base: Omit<SimulationInput, "truth"> = { expected, tolerance: 0.05, confidence: 0.95, maxRequests: 20000, maxErrorRate: 0.05 };
const a = 0.05;
/** Three binomial standard errors above the promised rate: room for sampling, none for a real excess. */
const slack = (runs: number) => 3 * Math.sqrt((a * (1 - a)) / runs);

describe("calibration over many simulated runs", () => {
    it("a true 80/20 fails (any verdict but MATCH) at most 1 - confidence of the time", () => {
        const runs = simulateRuns({ ...base, truth: truth(80, 20) }, 1000, seededRandom(1));
        const failures = runs.filter((r) => r.verdict !== "match").length / runs.length;
        expect(failures).toBeLessThanOrEqual(a + slack(1000));
    });

    it("a share exactly on the tolerance edge (75/25) is called a MATCH at most 1 - confidence of the time", () => {
        // The hardest case for a false MATCH; a lower cap keeps it fast and the thresholds are exact for it.
        const runs = simulateRuns({ ...base, truth: truth(75, 25), maxRequests: 1500 }, 400, seededRandom(2));
        const falseMatches = runs.filter((r) => r.verdict === "match").length / runs.length;
        expect(falseMatches).toBeLessThanOrEqual(a + slack(400));
    });

    it("a true 80/20 with 10% of requests failing is never called a MATCH: every run ends TOO MANY ERRORS", () => {
        // Issue 16: against the sample server at --error-rate 0.1, 7 of 40 runs ended MATCH, the split
        // decided before the errors were.
        const runs = simulateRuns({ ...base, truth: [...truth(72, 18), { name: "error", weight: 10 }] }, 40, seededRandom(16));
        expect(runs.map((r) => r.verdict)).toEqual(Array.from({ length: 40 }, () => "errors"));
    });

    it("an error rate exactly on the limit (5%) is called a MATCH, or too many errors, at most 1 - confidence of the time", () => {
        // The hardest case for both error tests; a lower cap keeps it fast and the thresholds are exact for it.
        const runs = simulateRuns({ ...base, truth: [...truth(76, 19), { name: "error", weight: 5 }], maxRequests: 1500 }, 400, seededRandom(6));
        const share = (verdict: string) => runs.filter((r) => r.verdict === verdict).length / runs.length;
        expect(share("match")).toBeLessThanOrEqual(a + slack(400));
        expect(share("errors")).toBeLessThanOrEqual(a + slack(400));
    });

    it("an error rate a little above the limit (7% against 5%) ends TOO MANY ERRORS, in a median of under 2000 requests", () => {
        // With bets on large excesses only, 3 runs in 4 went to the 20 000 cap undecided. The near bets decide
        // it in a median of about 700 requests (simulated); 2000 leaves room for the seed, not for a regression.
        const runs = simulateRuns({ ...base, truth: [...truth(74.4, 18.6), { name: "error", weight: 7 }] }, 40, seededRandom(17));
        expect(runs.filter((r) => r.verdict === "errors").length).toBeGreaterThanOrEqual(38);
        expect(quantile(runs.map((r) => r.requests), 0.5)).toBeLessThan(2000);
    });

    it("reports the miss rate over a true 70/30 (5 pp outside the band)", () => {
        const runs = simulateRuns({ ...base, truth: truth(70, 30) }, 400, seededRandom(3));
        const missRate = runs.filter((r) => r.verdict !== "mismatch").length / runs.length;
        console.info(`true 70/30 against 80/20 ±5 pp: miss rate ${(missRate * 100).toFixed(2)}% of ${runs.length} runs; median ${quantile(runs.map((r) => r.requests), 0.5)} requests`);
        expect(missRate).toBeLessThanOrEqual(a);
    });
});

describe("efficiency (issue #4 targets)", () => {
    it("a true 80/20 matches in a median of at most 0.75x the one-shot TOST sample", () => {
        const oneShot = fixedSampleSize({ share: 0.8, tolerance: 0.05, confidence: 0.95, power: 0.9 });
        expect(oneShot).toBe(693);
        const runs = simulateRuns({ ...base, truth: truth(80, 20) }, 1000, seededRandom(4));
        expect(quantile(runs.map((r) => r.requests), 0.5)).toBeLessThanOrEqual(0.75 * oneShot);
    });

    it("a true 50/50 against an expected 80/20 fails in a median of under 60 requests", () => {
        const runs = simulateRuns({ ...base, truth: truth(50, 50) }, 1000, seededRandom(5));
        expect(runs.every((r) => r.verdict === "mismatch")).toBe(true);
        expect(quantile(runs.map((r) => r.requests), 0.5)).toBeLessThan(60);
    });
});
