// Issue #16: `npm run rollout` against the real Envoy gateway, judged on Prometheus scraping the
// gateway's proxy (pilot-agent's merged stats), while users keep sending requests. Upstream Envoy has
// no istio_requests_total, so the rollout must find and say that it reads the gateway's per-subset
// cluster stats. A healthy canary is promoted; one whose app answers 500s, or answers slowly, is
// rolled back to where it started, in the stack file and in the gateway's answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { burst, steadyStream, type Stream } from "../../dev/traffic/requests.ts";
import { type RolloutResult, runRollout } from "../../harness/traffic/rollout-run.ts";
import { setFaults } from "../../dev/dataplane/dataplane-folder.ts";
import type { Fault } from "../../dev/dataplane/faults.ts";
import { startGatewayPrometheus } from "../../harness/traffic/gateway-prometheus.ts";
import type { PrometheusServer } from "../../harness/prometheus-server.ts";
import { dataPlaneDir, gatewayPod, helloUrl, servedBy, useTrafficStack } from "./support/traffic-stack.ts";

const NAMESPACE = "gray-rollout";
const START = { v1: 100, v2: 0 };

const stack = useTrafficStack(NAMESPACE, { weights: START });
let prometheus: PrometheusServer | undefined;
let users: Stream | undefined;

/** `npm run rollout -- --stack dev --to v2 --url <gateway> --prometheus <url> ... --json`, with `faults` set meanwhile. */
async function rollout(faults: Record<string, Fault>, args: string[]): Promise<RolloutResult> {
    setFaults(dataPlaneDir(), faults);
    try {
        return await runRollout(stack.workspace, [
            "--to", "v2", "--url", helloUrl(), "--prometheus", prometheus?.url ?? "",
            "--settle", "200ms", "--pause", "2s", "--min-requests", "20", "--max-pause", "20s", ...args,
        ]);
    } finally {
        setFaults(dataPlaneDir(), {});
    }
}

function stackWeights(): Record<string, number> {
    const settings = parse(readFileSync(stack.workspace.stackFile, "utf8")) as { config: Record<string, unknown> };
    return settings.config["helloworld-grayscale:weights"] as Record<string, number>;
}

/** Back to 100/0 before each rollout, as applied by `pulumi up`, and served so by the gateway. */
async function resetWeights(): Promise<void> {
    stack.workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=100", "--plaintext", "weights.v2=0"]);
    stack.workspace.mustRun(["up", "--yes"]);
    await servedBy("v1");
}

beforeAll(async () => {
    // Users before Prometheus, which waits for the gateway's series of the Service.
    users = steadyStream(helloUrl(), { clients: 2, intervalMs: 25, maxMs: 280_000 });
    prometheus = await startGatewayPrometheus([gatewayPod()], NAMESPACE);
});

afterAll(async () => {
    try {
        await users?.stop();
    } finally {
        await prometheus?.stop();
    }
});

describe("the rollout against the real gateway", () => {
    it("promotes a healthy v2, judged on the gateway Envoy's stats for the Service, which it found by itself", async () => {
        // One step: the README's next steps already step 75 -> 100 through this gateway; here the point
        // is the judgement on the gateway's own stats.
        const run = await rollout({}, ["--steps", "100"]);
        expect(run.code, run.stderr).toBe(0);
        const start = run.events[0];
        expect(start?.event === "start" ? start.metrics : undefined).toMatchObject({ source: "envoy" });
        const rows = run.events.flatMap((e) => (e.event === "analysed" ? [e.row] : []));
        expect(rows.map((r) => [r.step, r.passed, r.verify?.verdict])).toEqual([[1, true, "match"]]);
        for (const row of rows) {
            expect(row.health?.requests).toBeGreaterThanOrEqual(20);
            expect(row.health?.successRate).toBe(100);
        }
        expect(stackWeights()).toEqual({ v1: 0, v2: 100 });
        const tally = await burst(helloUrl(), 100);
        expect([...tally.versions.keys()]).toEqual(["v2"]);
    });

    it("rolls back a v2 whose app answers 500 to a fifth of its requests", async () => {
        await resetWeights();
        const run = await rollout({ v2: { errorRate: 0.2 } }, ["--steps", "50,100"]);
        expect(run.code, run.stderr).toBe(1);
        const rollback = run.events.find((e) => e.event === "rollback");
        expect(rollback).toMatchObject({ failedStep: 1, weights: START });
        expect(rollback?.event === "rollback" ? rollback.failure.check : undefined).toMatch(/verify|success rate/);
        expect(stackWeights()).toEqual(START);
        const tally = await burst(helloUrl(), 100);
        expect([...tally.versions.keys()]).toEqual(["v1"]);
    });

    it("rolls back a v2 that answers one request in twenty after 0.6 s, on its p99", async () => {
        await resetWeights();
        const run = await rollout({ v2: { slowRate: 0.05, slowMs: 600 } }, ["--steps", "50,100", "--max-p99", "300ms"]);
        expect(run.code, run.stderr).toBe(1);
        const rollback = run.events.find((e) => e.event === "rollback");
        expect(rollback?.event === "rollback" ? rollback.failure.check : undefined).toBe("p99");
        expect(stackWeights()).toEqual(START);
    });
});
