// The rollout's phases before the weights (rollout.mirror, rollout.abTest) with real parts
// (test/rollout/scenario.ts; the test ingress follows the rendered VirtualService's testers' route and
// mirror as Envoy does): dark traffic then testers first then the weighted steps, promoted with the
// stack's routing as it was; a canary failing on its mirrored copies rolled back before any user saw
// it; and a rollout killed in the A/B phase resumed there. Each asserts the exit code, the stack file
// (weights and routing) and the rendered VirtualServices.
import { afterEach, describe, expect, inject, it } from "vitest";
import type { RolloutEvent, StepName } from "../../tools/rollout/events.ts";
import { RolloutScenario, type ScenarioOptions } from "../rollout/scenario.ts";

const C1 = "mdemo-cluster1";
const C2 = "mdemo-cluster2";
const FLAGS = ["--to", "v2", "--steps", "50,100", "--pause", "2s", "--min-requests", "20", "--max-pause", "30s"];
const PHASES = { mirror: { percent: 100, pause: "2s" }, abTest: { headers: { "x-canary": "always" }, pause: "2s" } };

const scenarios: RolloutScenario[] = [];

async function scenario(options: Partial<ScenarioOptions> = {}): Promise<RolloutScenario> {
    const started = await RolloutScenario.start({ engineBin: inject("engineBin"), weights: { v1: 100, v2: 0 }, rollout: PHASES, ...options });
    scenarios.push(started);
    return started;
}

/** Each update: its step and how many resources it changed. */
function updates(events: RolloutEvent[]): [StepName, number][] {
    return events.flatMap((e) => (e.event === "applied" ? [[e.step, e.changes] as [StepName, number]] : []));
}

describe("a rollout with a mirror and an A/B phase", () => {
    afterEach(async () => {
        await Promise.all(scenarios.splice(0).map((s) => s.stop()));
    });

    it("mirrors, then routes the testers, then steps the weights, each judged; ends promoted with the stack's routing as it was", async () => {
        const s = await scenario();
        const run = s.rollout(FLAGS);
        // While the A/B phase is judged: the testers' route ahead of the split, no mirror any more.
        await run.waitFor((e) => e.event === "applied" && e.step === "abTest");
        const duringAb = { routing: s.stackRouting(), routes: s.renderedRouteNames() };
        const result = await run.done;
        expect(result.code, result.stderr).toBe(0);
        expect(run.events[0]).toMatchObject({ event: "start", phases: ["mirror", "abTest"], steps: [50, 100] });
        expect(duringAb).toEqual({
            routing: { matches: [{ version: "v2", headers: { "x-canary": "always" } }] },
            routes: { [C1]: ["match-0-v2", "http-5000"], [C2]: ["match-0-v2", "http-5000"] },
        });
        // Every phase and step changes each cluster's two VirtualServices and nothing else.
        expect(updates(run.events)).toEqual([["mirror", 4], ["abTest", 4], ["restore", 4], [1, 4], [2, 4]]);
        const analysed = run.events.flatMap((e) => (e.event === "analysed" ? [e.row] : []));
        expect(analysed.map((row) => [row.step, row.weights, row.passed, row.verify?.verdict])).toEqual([
            // In both phases users get v1 alone; the canary is judged on the copies, then on the testers.
            ["mirror", { v1: 100, v2: 0 }, true, "match"],
            ["abTest", { v1: 100, v2: 0 }, true, "match"],
            [1, { v1: 50, v2: 50 }, true, "match"],
            [2, { v1: 0, v2: 100 }, true, "match"],
        ]);
        for (const row of analysed) {
            expect(row.health?.requests).toBeGreaterThanOrEqual(20);
            expect(row.health?.successRate).toBe(100);
        }
        // The A/B phase's verify: the testers all answered by v2, the users all by v1.
        expect(analysed[1]?.verify?.summary).toMatch(/^testers: MATCH: .*; users: MATCH: /);
        expect(s.stackWeights()).toEqual({ v1: 0, v2: 100 });
        expect(s.stackRouting()).toBeUndefined();
        expect(s.renderedRouteNames()).toEqual({ [C1]: ["http-5000"], [C2]: ["http-5000"] });
        expect(s.renderedRoutes()).toEqual({ [C1]: [["v2", 100]], [C2]: [["v2", 100]] });
    }, 400_000);

    it("rolls back in the mirror phase when the canary fails its copies: no user got it, no weight moved", async () => {
        const s = await scenario({ faults: (version) => (version === "v2" ? { errorRate: 0.2 } : undefined) });
        const run = s.rollout(FLAGS);
        const result = await run.done;
        expect(result.code, result.stderr).toBe(1);
        expect(updates(run.events)).toEqual([["mirror", 4], ["rollback", 4]]);
        expect(run.events.find((e) => e.event === "rollback")).toMatchObject({ failedStep: "mirror", weights: { v1: 100, v2: 0 }, failure: { check: "success rate" } });
        const done = run.events.at(-1);
        expect(done?.event === "done" && done.summary).toMatch(new RegExp("^ROLLED BACK: the mirror phase \\(dark traffic\\) failed its success rate check: v2 answered \\d+\\.\\d% " +
            "of \\d+ requests in [\\d.]+ s without a 5xx, below the minimum 99%\\. Weights are back at v1 100 / v2 0, with the stack's own routing \\(no mirror to v2\\), verified: MATCH"));
        expect(s.stackWeights()).toEqual({ v1: 100, v2: 0 });
        expect(s.stackRouting()).toBeUndefined();
        expect(s.renderedRouteNames()).toEqual({ [C1]: ["http-5000"], [C2]: ["http-5000"] });
    }, 400_000);

    it("resumes in the A/B phase after being killed there, and ends promoted", async () => {
        const s = await scenario();
        const first = s.rollout(FLAGS);
        // Killed as soon as the A/B phase is applied: its analysis (verify, then the pause) has begun.
        await first.waitFor((e) => e.event === "applied" && e.step === "abTest");
        first.child.kill("SIGKILL");
        await first.done;
        expect(s.stackRouting()).toEqual({ matches: [{ version: "v2", headers: { "x-canary": "always" } }] });

        const rerun = s.rollout(FLAGS);
        const result = await rerun.done;
        expect(result.code, result.stderr).toBe(0);
        expect(rerun.events[0]).toMatchObject({ event: "start", phases: ["abTest"] });
        // The A/B phase applied again (no change: it was applied whole) and judged, then the rest.
        expect(updates(rerun.events)).toEqual([["abTest", 0], ["restore", 4], [1, 4], [2, 4]]);
        expect(s.stackWeights()).toEqual({ v1: 0, v2: 100 });
        expect(s.stackRouting()).toBeUndefined();
    }, 400_000);

    it("with waves: runs the phases in every cluster, judged at every gateway, before the first wave moves", async () => {
        const s = await scenario({ waves: [[C1], [C2]] });
        const run = s.rollout(FLAGS);
        const result = await run.done;
        expect(result.code, result.stderr).toBe(0);
        // A phase is the stack's routing, the same in every cluster: each update changes all four
        // VirtualServices; a wave's step its own cluster's two; the promotion all four again.
        expect(updates(run.events)).toEqual([["mirror", 4], ["abTest", 4], ["restore", 4], [1, 2], [2, 2], [1, 2], [2, 2], ["promote", 4]]);
        const analysed = run.events.flatMap((e) => (e.event === "analysed" ? [e.row] : []));
        expect(analysed.map((row) => [row.step, row.wave, row.passed, row.verify?.verdict])).toEqual([
            ["mirror", undefined, true, "match"], ["abTest", undefined, true, "match"],
            [1, 0, true, "match"], [2, 0, true, "match"], [1, 1, true, "match"], [2, 1, true, "match"],
        ]);
        // Each phase was verified at both gateways: a cluster serving the canary to users would fail it.
        for (const phase of analysed.slice(0, 2)) {
            expect(phase.verify?.summary).toMatch(new RegExp(`${C1}.*${C2}`));
        }
        expect(s.stackWeights()).toEqual({ v1: 0, v2: 100 });
        expect(s.clusterWeights()).toEqual({});
        expect(s.stackRouting()).toBeUndefined();
        expect(s.renderedRoutes()).toEqual({ [C1]: [["v2", 100]], [C2]: [["v2", 100]] });
    }, 400_000);
});
