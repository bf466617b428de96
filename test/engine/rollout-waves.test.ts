// A rollout wave by wave (rollout.waves: [[mdemo-cluster1], [mdemo-cluster2]]) with real parts
// (test/rollout/scenario.ts): a stand-in gateway per cluster, each routing by its own cluster's rendered
// VirtualService and reporting its cluster as the requests' source_cluster. Each wave's steps set its
// cluster's own weights alone; a failure in the second wave takes the first back too; a rollout killed
// in the second wave resumes there. Each asserts the exit code, the stack file and the rendered routes.
// First, a wave's figures from a real Prometheus are its own clusters' alone.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, inject, it } from "vitest";
import { startPrometheus } from "../../harness/prometheus-server.ts";
import { startTestIngress } from "../../harness/test-ingress.ts";
import type { RolloutEvent, StepRow } from "../../tools/rollout/events.ts";
import { queryHealth, type MetricsSource } from "../../tools/rollout/prometheus.ts";
import { RolloutScenario, type ScenarioOptions } from "../rollout/scenario.ts";
import { virtualServiceYaml } from "../rollout/virtual-service-file.ts";

const C1 = "mdemo-cluster1";
const C2 = "mdemo-cluster2";
const FLAGS = ["--to", "v2", "--steps", "50,100", "--min-requests", "20", "--max-pause", "30s"];

const scenarios: RolloutScenario[] = [];

async function scenario(options: Partial<ScenarioOptions> = {}): Promise<RolloutScenario> {
    const started = await RolloutScenario.start({ engineBin: inject("engineBin"), weights: { v1: 100, v2: 0 }, waves: [[C1], [C2]], ...options });
    scenarios.push(started);
    return started;
}

/** Each update: its step, its wave (from 0; none for the rollback and the promotion) and how many resources it changed. */
function updates(events: RolloutEvent[]): [StepRow["step"], number | undefined, number][] {
    return events.flatMap((e) => (e.event === "applied" ? [[e.step, e.wave, e.changes] as [StepRow["step"], number | undefined, number]] : []));
}

function summaryOf(events: RolloutEvent[]): string {
    const done = events.at(-1);
    return done?.event === "done" ? done.summary : "";
}

describe("a wave's canary figures", () => {
    // istio: by the source_cluster the proxies report; envoy: by the cluster label the scrape gives each gateway.
    it.each<[MetricsSource]>([["istio"], ["envoy"]])("count only the requests its clusters' gateways routed, not another cluster's failing ones (%s)", async (source) => {
        const dir = mkdtempSync(path.join(tmpdir(), "hwg-waves-prom-"));
        const file = path.join(dir, "vs.yaml");
        writeFileSync(file, virtualServiceYaml({ v1: 50, v2: 50 }));
        const clusters = { v1: C2, v2: C1 };
        const healthy = await startTestIngress({ virtualServiceFile: file, clusters, gatewayCluster: C1 });
        // Behind mdemo-cluster2's gateway, 1 in 5 of v2's answers is a 503.
        const failing = await startTestIngress({ virtualServiceFile: file, clusters, gatewayCluster: C2, faults: (version) => (version === "v2" ? { errorRate: 0.2 } : undefined) });
        const prometheus = await startPrometheus([
            { address: new URL(healthy.metricsUrl).host, labels: { cluster: C1 } }, { address: new URL(failing.metricsUrl).host, labels: { cluster: C2 } },
        ]);
        try {
            const started = Date.now();
            for (const ingress of [healthy, failing]) {
                for (let i = 0; i < 200; i++) {
                    await fetch(ingress.url).then((r) => r.text());
                }
            }
            await sleep(600); // two scrapes after the last request
            const health = (waveClusters?: string[]) => queryHealth({
                prometheus: new URL(prometheus.url), source, service: { namespace: "gray-demo", host: "helloworld.gray-demo.svc.cluster.local", port: 5000 },
                version: "v2", windowMs: Date.now() - started + 1000, ...(waveClusters === undefined ? {} : { clusters: waveClusters }),
            });
            const first = await health([C1]);
            const second = await health([C2]);
            const all = await health();
            expect(first.successRate).toBe(100);
            expect(second.successRate).toBeLessThan(90);
            expect(first.requests + second.requests).toBe(all.requests);
            expect(await health([C1, C2])).toEqual(all);
        } finally {
            await prometheus.stop();
            await Promise.all([healthy.close(), failing.close()]);
            rmSync(dir, { recursive: true, force: true });
        }
    }, 60_000);
});

describe("a rollout wave by wave", () => {
    afterEach(async () => {
        await Promise.all(scenarios.splice(0).map((s) => s.stop()));
    });

    it("moves mdemo-cluster1 to 100 while mdemo-cluster2 stays, then mdemo-cluster2, then promotes: global weights at v2, no cluster's own", async () => {
        const s = await scenario();
        const run = s.rollout([...FLAGS, "--pause", "2s"]);
        // Between the first wave's last verdict and the second wave's first update (a config write, a
        // preview and an update: seconds), the stack stands where the first wave left it.
        await run.waitFor((e) => e.event === "analysed" && e.row.wave === 0 && e.row.step === 2);
        const afterFirstWave = { global: s.stackWeights(), own: s.clusterWeights(), routes: s.renderedRoutes() };
        const result = await run.done;
        expect(result.code, result.stderr).toBe(0);
        expect(afterFirstWave).toEqual({
            global: { v1: 100, v2: 0 },
            own: { [C1]: { v1: 0, v2: 100 } },
            routes: { [C1]: [["v2", 100]], [C2]: [["v1", 100]] },
        });
        expect(run.events[0]).toMatchObject({
            event: "start", weights: { v1: 100, v2: 0 }, steps: [50, 100],
            waves: { done: [], remaining: [{ index: 0, clusters: [C1], steps: [50, 100] }, { index: 1, clusters: [C2], steps: [50, 100] }] },
        });
        // Each wave's step changed its own cluster's two VirtualServices (the gateway's and the mesh's;
        // the preview guard refuses any other); the promotion changes all four (their cluster-weights
        // annotation goes, the routes stay at v2).
        expect(updates(run.events)).toEqual([[1, 0, 2], [2, 0, 2], [1, 1, 2], [2, 1, 2], ["promote", undefined, 4]]);
        const analysed = run.events.flatMap((e) => (e.event === "analysed" ? [e.row] : []));
        expect(analysed.map((row) => [row.wave, row.step, row.weights, row.passed, row.verify?.verdict])).toEqual([
            [0, 1, { v1: 50, v2: 50 }, true, "match"],
            [0, 2, { v1: 0, v2: 100 }, true, "match"],
            [1, 1, { v1: 50, v2: 50 }, true, "match"],
            [1, 2, { v1: 0, v2: 100 }, true, "match"],
        ]);
        for (const row of analysed) {
            expect(row.health?.requests).toBeGreaterThanOrEqual(20);
            expect(row.health?.successRate).toBe(100);
        }
        expect(run.events.at(-1)).toMatchObject({ event: "done", outcome: "promoted", exitCode: 0 });
        expect(s.stackWeights()).toEqual({ v1: 0, v2: 100 });
        expect(s.clusterWeights()).toEqual({});
        expect(s.renderedRoutes()).toEqual({ [C1]: [["v2", 100]], [C2]: [["v2", 100]] });
    }, 400_000);

    it("rolls back the first wave too when the second fails, to the global weights, and verifies both gateways", async () => {
        // mdemo-cluster2's gateway reaches a failing v2 (its path to the canary, say), mdemo-cluster1's a healthy one.
        const s = await scenario({ gatewayFaults: { [C2]: (version) => (version === "v2" ? { errorRate: 0.05 } : undefined) } });
        const run = s.rollout([...FLAGS, "--pause", "2s"]);
        const result = await run.done;
        expect(result.code, result.stderr).toBe(1);
        expect(updates(run.events)).toEqual([[1, 0, 2], [2, 0, 2], [1, 1, 2], ["rollback", undefined, 4]]);
        expect(run.events.find((e) => e.event === "rollback")).toMatchObject({
            failedStep: 1, wave: 1, clusters: [C1, C2], weights: { v1: 100, v2: 0 }, failure: { check: "success rate" },
        });
        expect(summaryOf(run.events)).toMatch(new RegExp("^ROLLED BACK: wave 2 \\(mdemo-cluster2\\) step 1 failed its success rate check: v2 answered \\d+\\.\\d+% of \\d+ requests " +
            "in [\\d.]+ s without a 5xx, below the minimum 99%\\. Weights are back at v1 100 / v2 0 in mdemo-cluster1, mdemo-cluster2 \\(the global weights: their own removed\\), " +
            "verified: mdemo-cluster1: MATCH: .*; mdemo-cluster2: MATCH: "));
        expect(s.stackWeights()).toEqual({ v1: 100, v2: 0 });
        expect(s.clusterWeights()).toEqual({});
        expect(s.renderedRoutes()).toEqual({ [C1]: [["v1", 100]], [C2]: [["v1", 100]] });
    }, 400_000);

    it("resumes in the second wave after being killed there, with the first left at 100, and ends promoted", async () => {
        const s = await scenario();
        const first = s.rollout([...FLAGS, "--pause", "4s"]);
        await first.waitFor((e) => e.event === "applied" && e.wave === 1 && e.step === 1);
        first.child.kill("SIGKILL");
        await first.done;
        expect(s.stackWeights()).toEqual({ v1: 100, v2: 0 });
        expect(s.clusterWeights()).toEqual({ [C1]: { v1: 0, v2: 100 }, [C2]: { v1: 50, v2: 50 } });

        const rerun = s.rollout([...FLAGS, "--pause", "2s"]);
        const result = await rerun.done;
        expect(result.code, result.stderr).toBe(0);
        expect(rerun.events[0]).toMatchObject({
            event: "start", weights: { v1: 100, v2: 0 }, steps: [50, 100],
            waves: { done: [{ index: 0, clusters: [C1] }], remaining: [{ index: 1, clusters: [C2], steps: [50, 100] }] },
        });
        // The second wave's 50 again (applied whole already: no change) and judged, then 100, then the promotion.
        expect(updates(rerun.events)).toEqual([[1, 1, 0], [2, 1, 2], ["promote", undefined, 4]]);
        expect(s.stackWeights()).toEqual({ v1: 0, v2: 100 });
        expect(s.clusterWeights()).toEqual({});
        expect(s.renderedRoutes()).toEqual({ [C1]: [["v2", 100]], [C2]: [["v2", 100]] });
    }, 400_000);
});
