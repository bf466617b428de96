// Failed steps roll back on their own, to the last step that passed, and say which check failed with
// its numbers: the canary answering 5xx from the second step, and from the first as the gateway's
// Envoy stats count it (--metrics envoy), a slow canary, an ingress that ignores the weights. Each
// asserts the exit code, the stack file and the rendered VirtualServices.
import { afterEach, describe, expect, inject, it } from "vitest";
import type { RolloutEvent } from "../../tools/rollout/events.ts";
import { RolloutScenario, type ScenarioOptions } from "../rollout/scenario.ts";

const scenarios: RolloutScenario[] = [];

async function run(options: Omit<ScenarioOptions, "engineBin">, args: string[]) {
    const scenario = await RolloutScenario.start({ engineBin: inject("engineBin"), ...options });
    scenarios.push(scenario);
    const rollout = scenario.rollout(["--to", "v2", "--pause", "2s", "--min-requests", "20", "--max-pause", "20s", ...args]);
    return { scenario, result: await rollout.done, events: rollout.events };
}

function rollbackOf(events: RolloutEvent[]) {
    return events.find((e): e is Extract<RolloutEvent, { event: "rollback" }> => e.event === "rollback");
}

function summaryOf(events: RolloutEvent[]): string {
    const done = events.at(-1);
    return done?.event === "done" ? done.summary : "";
}

describe("a rollout that fails a step", () => {
    afterEach(async () => {
        await Promise.all(scenarios.splice(0).map((s) => s.stop()));
    });

    it("rolls back to step 1 when the canary answers 5xx from step 2 (success rate)", async () => {
        const { scenario, result, events } = await run({
            weights: { v1: 100, v2: 0 },
            faults: (version, weights) => (version === "v2" && (weights.v2 ?? 0) >= 25 ? { errorRate: 0.1 } : undefined),
        }, ["--steps", "10,25,50,100"]);
        expect(result.code, result.stderr).toBe(1);
        expect(rollbackOf(events)).toMatchObject({ failedStep: 2, weights: { v1: 90, v2: 10 }, failure: { check: "success rate" } });
        expect(summaryOf(events)).toMatch(/^ROLLED BACK: step 2 failed its success rate check: v2 answered \d+\.\d% of \d+ requests in [\d.]+ s without a 5xx, below the minimum 99%\. Weights are back at v1 90 \/ v2 10, verified: MATCH/);
        expect(scenario.stackWeights()).toEqual({ v1: 90, v2: 10 });
        expect(scenario.renderedRoutes()).toEqual({ "mdemo-cluster1": [["v1", 90], ["v2", 10]], "mdemo-cluster2": [["v1", 90], ["v2", 10]] });
    }, 300_000);

    it("rolls back on the gateway's Envoy stats (--metrics envoy) when the canary answers 5xx", async () => {
        const { scenario, result, events } = await run({
            weights: { v1: 100, v2: 0 },
            faults: (version) => (version === "v2" ? { errorRate: 0.1 } : undefined),
        }, ["--metrics", "envoy"]);
        expect(result.code, result.stderr).toBe(1);
        expect(events[0]).toMatchObject({ event: "start", metrics: { source: "envoy", reason: "--metrics envoy" } });
        expect(rollbackOf(events)).toMatchObject({ failedStep: 1, weights: { v1: 100, v2: 0 }, failure: { check: "success rate" } });
        expect(summaryOf(events)).toMatch(/^ROLLED BACK: step 1 failed its success rate check: v2 answered \d+\.\d% of \d+ requests in [\d.]+ s without a 5xx, below the minimum 99%\. Weights are back at v1 100 \/ v2 0, verified: MATCH/);
        expect(scenario.stackWeights()).toEqual({ v1: 100, v2: 0 });
        expect(scenario.renderedRoutes()).toEqual({ "mdemo-cluster1": [["v1", 100]], "mdemo-cluster2": [["v1", 100]] });
    }, 300_000);

    it("rolls back to the starting weights when a slow canary fails the first step (p99)", async () => {
        const { scenario, result, events } = await run({
            weights: { v1: 100, v2: 0 },
            faults: (version) => (version === "v2" ? { slowRate: 0.1, slowMs: 800 } : undefined),
        }, []);
        expect(result.code, result.stderr).toBe(1);
        expect(rollbackOf(events)).toMatchObject({ failedStep: 1, weights: { v1: 100, v2: 0 }, failure: { check: "p99" } });
        expect(summaryOf(events)).toMatch(/^ROLLED BACK: step 1 failed its p99 check: v2's p99 latency was \d+ ms over \d+ requests in [\d.]+ s, above the maximum 500 ms\./);
        expect(scenario.stackWeights()).toEqual({ v1: 100, v2: 0 });
        expect(scenario.renderedRoutes()).toEqual({ "mdemo-cluster1": [["v1", 100]], "mdemo-cluster2": [["v1", 100]] });
    }, 300_000);

    it("rolls back when the ingress ignores the weights (verify MISMATCH), and verifies the rollback", async () => {
        const { scenario, result, events } = await run({ weights: { v1: 100, v2: 0 }, fixedWeights: { v1: 100 } }, []);
        expect(result.code, result.stderr).toBe(1);
        expect(rollbackOf(events)).toMatchObject({ failedStep: 1, weights: { v1: 100, v2: 0 }, failure: { check: "verify" } });
        // Whichever share is shown outside its band first decides: v1's 100% or v2's 0%.
        expect(summaryOf(events)).toMatch(/^ROLLED BACK: step 1 failed its verify check: MISMATCH: (v1 gets 100\.0% of responses, outside 85–95%|v2 gets 0\.0% of responses, outside 5–15%), at 95% confidence \(\d+ responses, \d+ requests\)\. Weights are back at v1 100 \/ v2 0, verified: MATCH/);
        expect(scenario.stackWeights()).toEqual({ v1: 100, v2: 0 });
        expect(scenario.renderedRoutes()).toEqual({ "mdemo-cluster1": [["v1", 100]], "mdemo-cluster2": [["v1", 100]] });
    }, 300_000);
});
