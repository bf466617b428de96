// Issue #17.5 on the real data plane: `npm run rollout` wave by wave (rollout.waves: [[mdemo-cluster1],
// [mdemo-cluster2]]), each wave verified at its own cluster's Envoy gateway, which that cluster's istiod
// programs from that cluster's VirtualServices, and judged on Prometheus scraping both gateways, each
// target labelled with its cluster as a multi-cluster Prometheus labels them. Users keep sending
// requests through both gateways throughout. A healthy canary is promoted wave after wave, and the
// stack ends with the global weights at the canary and no cluster's own; a canary that answers 500s
// fails the first wave, which is rolled back before the second wave's gateway ever moved.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CONFIG_NAMESPACE } from "../../config/index.ts";
import { burst, steadyStream, type Stream } from "../../dev/traffic/requests.ts";
import { setFaults } from "../../dev/dataplane/dataplane-folder.ts";
import type { Fault } from "../../dev/dataplane/faults.ts";
import { type RolloutResult, runRollout } from "../../harness/traffic/rollout-run.ts";
import { startGatewayPrometheus } from "../../harness/traffic/gateway-prometheus.ts";
import type { PrometheusServer } from "../../harness/prometheus-server.ts";
import { dataPlaneDir, gatewayPod, gatewayUrl, liveStackConfig, servedBy, useTrafficStack } from "./support/traffic-stack.ts";

const NAMESPACE = "gray-waves-rollout";
const CLUSTERS = ["mdemo-cluster1", "mdemo-cluster2"];
const START = { v1: 100, v2: 0 };
const devRollout = liveStackConfig(NAMESPACE)[`${CONFIG_NAMESPACE}:rollout`] as Record<string, unknown>;

const stack = useTrafficStack(NAMESPACE, { weights: START, rollout: { ...devRollout, waves: CLUSTERS.map((c) => [c]) } });
let prometheus: PrometheusServer | undefined;
let users: Stream[] = [];

async function rollout(faults: Record<string, Fault>, args: string[]): Promise<RolloutResult> {
    setFaults(dataPlaneDir(), faults);
    try {
        return await runRollout(stack.workspace, [
            "--to", "v2", ...CLUSTERS.flatMap((c) => ["--cluster-url", `${c}=${gatewayUrl(c)}`]), "--prometheus", prometheus?.url ?? "",
            "--settle", "200ms", "--pause", "2s", "--min-requests", "20", "--max-pause", "20s", ...args,
        ]);
    } finally {
        setFaults(dataPlaneDir(), {});
    }
}

function stackConfig(): { weights: Record<string, number>; ownWeights: Record<string, unknown> } {
    const settings = parse(readFileSync(stack.workspace.stackFile, "utf8")) as { config: Record<string, unknown> };
    const clusters = settings.config[`${CONFIG_NAMESPACE}:clusters`] as Record<string, { weights?: unknown }>;
    return {
        weights: settings.config[`${CONFIG_NAMESPACE}:weights`] as Record<string, number>,
        ownWeights: Object.fromEntries(Object.entries(clusters).flatMap(([name, c]) => (c.weights === undefined ? [] : [[name, c.weights]]))),
    };
}

async function gatewayVersions(cluster: string): Promise<string[]> {
    return [...(await burst(gatewayUrl(cluster), 100)).versions.keys()].sort();
}

beforeAll(async () => {
    // Users before Prometheus, which waits for the gateways' series of the Service.
    users = CLUSTERS.map((c) => steadyStream(gatewayUrl(c), { clients: 2, intervalMs: 25, maxMs: 280_000 }));
    prometheus = await startGatewayPrometheus(CLUSTERS.map((c) => gatewayPod(c)), NAMESPACE);
});

afterAll(async () => {
    try {
        await Promise.all(users.map((u) => u.stop()));
    } finally {
        await prometheus?.stop();
    }
});

describe("a rollout wave by wave against each cluster's real gateway", () => {
    it("promotes a healthy v2 one cluster after the other, each wave judged at its own gateway", async () => {
        const run = await rollout({}, ["--steps", "50,100"]);
        expect(run.code, run.stderr).toBe(0);
        const moves = run.events.flatMap((e) => (e.event === "applied" ? [[e.step, e.clusters]] : []));
        expect(moves).toEqual([[1, ["mdemo-cluster1"]], [2, ["mdemo-cluster1"]], [1, ["mdemo-cluster2"]], [2, ["mdemo-cluster2"]], ["promote", undefined]]);
        const rows = run.events.flatMap((e) => (e.event === "analysed" ? [e.row] : []));
        expect(rows.map((r) => [r.wave, r.step, r.passed, r.verify?.verdict])).toEqual([
            [0, 1, true, "match"], [0, 2, true, "match"], [1, 1, true, "match"], [1, 2, true, "match"],
        ]);
        for (const row of rows) {
            expect(row.health?.requests, `wave ${row.wave} step ${row.step}`).toBeGreaterThanOrEqual(20);
            expect(row.health?.successRate).toBe(100);
        }
        expect(stackConfig()).toEqual({ weights: { v1: 0, v2: 100 }, ownWeights: {} });
        for (const cluster of CLUSTERS) {
            expect(await gatewayVersions(cluster), cluster).toEqual(["v2"]);
        }
    });

    it("rolls back a v2 that answers 500 to a fifth of its requests in the first wave; the second cluster never moves", async () => {
        stack.workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=100", "--plaintext", "weights.v2=0"]);
        stack.workspace.mustRun(["up", "--yes"]);
        await Promise.all(CLUSTERS.map((c) => servedBy("v1", gatewayUrl(c))));
        const run = await rollout({ v2: { errorRate: 0.2 } }, ["--steps", "50,100"]);
        expect(run.code, run.stderr).toBe(1);
        expect(run.events.flatMap((e) => (e.event === "applying" && e.clusters !== undefined ? e.clusters : []))).not.toContain("mdemo-cluster2");
        const rollback = run.events.find((e) => e.event === "rollback");
        expect(rollback).toMatchObject({ failedStep: 1, wave: 0, clusters: ["mdemo-cluster1"], weights: START });
        expect(rollback?.event === "rollback" ? rollback.failure.check : undefined).toMatch(/verify|success rate/);
        expect(stackConfig()).toEqual({ weights: START, ownWeights: {} });
        for (const cluster of CLUSTERS) {
            expect(await gatewayVersions(cluster), cluster).toEqual(["v1"]);
        }
    });
});
