// The rollout's happy path with real parts (test/rollout/scenario.ts): 10 -> 25 -> 50 -> 100, every step
// a `pulumi up` checked by verify and Prometheus, ending promoted at 100/0 in the stack file and in the
// VirtualServices the provider rendered.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import type { RolloutEvent } from "../../tools/rollout/events.ts";
import { RolloutScenario } from "../rollout/scenario.ts";

describe("a rollout of v2 that passes every step", () => {
    let scenario: RolloutScenario;
    let result: { code: number | null; stderr: string };
    let events: RolloutEvent[];

    beforeAll(async () => {
        scenario = await RolloutScenario.start({ engineBin: inject("engineBin"), weights: { v1: 100, v2: 0 } });
        const run = scenario.rollout(["--to", "v2", "--pause", "2s", "--min-requests", "20", "--max-pause", "20s"]);
        result = await run.done;
        events = run.events;
    }, 300_000);
    afterAll(() => scenario?.stop());

    it("exits 0, promoted", () => {
        expect(result.code, result.stderr).toBe(0);
        expect(events.at(-1)).toMatchObject({ event: "done", outcome: "promoted", exitCode: 0 });
    });

    it("judged the steps on Istio's metrics of the stack's Service, found by asking Prometheus", () => {
        expect(events[0]).toMatchObject({
            event: "start", metrics: { source: "istio", reason: "auto: Prometheus has istio_requests_total series for helloworld.gray-demo.svc.cluster.local" },
        });
    });

    it("applied and passed 10, 25, 50 and 100, in order, each with verify MATCH and the canary's health", () => {
        const analysed = events.flatMap((e) => (e.event === "analysed" ? [e.row] : []));
        expect(analysed.map((row) => [row.step, row.weights, row.passed, row.verify?.verdict])).toEqual([
            [1, { v1: 90, v2: 10 }, true, "match"],
            [2, { v1: 75, v2: 25 }, true, "match"],
            [3, { v1: 50, v2: 50 }, true, "match"],
            [4, { v1: 0, v2: 100 }, true, "match"],
        ]);
        for (const row of analysed) {
            expect(row.health?.requests).toBeGreaterThanOrEqual(20);
            expect(row.health?.successRate).toBe(100);
            expect(row.health?.p99Ms).toBeLessThan(500);
        }
    });

    it("changed only the four VirtualServices (each cluster's gateway and mesh ones) in every step", () => {
        const applied = events.filter((e) => e.event === "applied");
        expect(applied.map((e) => e.event === "applied" && e.changes)).toEqual([4, 4, 4, 4]);
    });

    it("leaves 0/100 in the stack file and in both rendered VirtualServices", () => {
        expect(scenario.stackWeights()).toEqual({ v1: 0, v2: 100 });
        expect(scenario.renderedRoutes()).toEqual({ "mdemo-cluster1": [["v2", 100]], "mdemo-cluster2": [["v2", 100]] });
    });

    it("the final event carries the table: one row per step", () => {
        const done = events.at(-1);
        expect(done?.event === "done" ? done.rows.map((r) => r.step) : []).toEqual([1, 2, 3, 4]);
    });
});

describe("a rollout with --retire", () => {
    let scenario: RolloutScenario;
    let result: { code: number | null; stderr: string };
    let events: RolloutEvent[];

    beforeAll(async () => {
        scenario = await RolloutScenario.start({ engineBin: inject("engineBin"), weights: { v1: 100, v2: 0 } });
        const run = scenario.rollout(["--to", "v2", "--steps", "50,100", "--pause", "1s", "--min-requests", "10", "--max-pause", "20s", "--retire"]);
        result = await run.done;
        events = run.events;
    }, 300_000);
    afterAll(() => scenario?.stop());

    it("promotes, then runs the retirement's second update: v1's Deployment goes, and only that", () => {
        expect(result.code, result.stderr).toBe(0);
        expect(events.find((e) => e.event === "retired")).toMatchObject({ version: "v1" });
        const settings = parse(readFileSync(scenario.workspace.stackFile, "utf8")) as { config: Record<string, any> };
        expect(settings.config["helloworld-grayscale:versions"].v1.retired).toBe(true);
        expect(scenario.stackWeights()).toEqual({ v1: 0, v2: 100 });
        const manifests = path.join(scenario.workspace.renderRoot, "mdemo-cluster2", "1-manifest");
        expect(existsSync(path.join(manifests, "apps_v1-deployment-gray-demo-helloworld-v1.yaml"))).toBe(false);
        expect(existsSync(path.join(manifests, "v1-service-gray-demo-helloworld.yaml"))).toBe(true);
        const rule = parse(readFileSync(path.join(manifests, "networking.istio.io_v1-destinationrule-gray-demo-helloworld.yaml"), "utf8")) as { spec: { subsets: { name: string }[] } };
        expect(rule.spec.subsets.map((s) => s.name)).toEqual(["v2"]);
    });
});
