// Issue #17.6 on the real data plane: `npm run rollout` with a mirror phase (dark traffic) and an A/B
// phase (testers first) before the weights, through the real Envoy gateway that istiod programs,
// judged on Prometheus scraping the gateway's stats, while users keep sending unmarked requests. Until
// the first weighted step is written to the stack file, no user may get the canary: the copies reach
// it and are judged, the testers' requests reach it and are judged, the users' answers all come from
// the stable. A canary failing its copies is rolled back with no user ever having seen it.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CONFIG_NAMESPACE } from "../../config/index.ts";
import { burst, steadyStream, type Stream } from "../../dev/traffic/requests.ts";
import { setFaults } from "../../dev/dataplane/dataplane-folder.ts";
import type { Fault } from "../../dev/dataplane/faults.ts";
import { appReceived } from "../../harness/traffic/mesh-client.ts";

import { type RolloutResult, runRollout } from "../../harness/traffic/rollout-run.ts";
import { startGatewayPrometheus } from "../../harness/traffic/gateway-prometheus.ts";
import type { PrometheusServer } from "../../harness/prometheus-server.ts";
import { dataPlaneDir, gatewayPod, helloUrl, liveStackConfig, servedBy, useTrafficStack } from "./support/traffic-stack.ts";

const NAMESPACE = "gray-phases-rollout";
const START = { v1: 100, v2: 0 };
const devRollout = liveStackConfig(NAMESPACE)[`${CONFIG_NAMESPACE}:rollout`] as Record<string, unknown>;
const PHASES = { mirror: { percent: 100, pause: "2s" }, abTest: { headers: { "x-canary": "always" }, pause: "2s" } };

const stack = useTrafficStack(NAMESPACE, { weights: START, rollout: { ...devRollout, ...PHASES } });
let prometheus: PrometheusServer | undefined;
let seed: Stream | undefined;

/** Every request v2's app was sent, whatever its Host. */
async function v2Received(): Promise<number> {
    return Object.values((await appReceived(stack.pod("v2"), 5000)).hosts).reduce((sum, n) => sum + n, 0);
}

function stackConfig(): { weights: Record<string, number>; routing: unknown } {
    const settings = parse(readFileSync(stack.workspace.stackFile, "utf8")) as { config: Record<string, unknown> };
    return { weights: settings.config[`${CONFIG_NAMESPACE}:weights`] as Record<string, number>, routing: settings.config[`${CONFIG_NAMESPACE}:routing`] };
}

/** What users got while the rollout ran, split at the moment the stack file first gave the canary weight. */
interface UsersSeen {
    beforeWeights: Map<string, number>;
    failuresBeforeWeights: number;
}

/**
 * The rollout, with `faults` set and users streaming unmarked requests meanwhile; each answer is put
 * before or after the first weighted step by the stack file as it stood when the answer arrived
 * (the rollout writes a step's weights before its `pulumi up`, so nothing routed by them comes earlier).
 */
async function rollout(faults: Record<string, Fault>, args: string[]): Promise<{ run: RolloutResult; users: UsersSeen }> {
    setFaults(dataPlaneDir(), faults);
    const users: UsersSeen = { beforeWeights: new Map(), failuresBeforeWeights: 0 };
    let weighted = false;
    const watch = setInterval(() => {
        try {
            weighted ||= (stackConfig().weights.v2 ?? 0) > 0;
        } catch {
            // Read while the rollout rewrote it: the next tick reads it whole.
        }
    }, 50);
    const stream = steadyStream(helloUrl(), {
        clients: 2, intervalMs: 25, maxMs: 280_000,
        onAnswer: (version) => {
            if (weighted) {
                return;
            }
            if (version === undefined) {
                users.failuresBeforeWeights++;
            } else {
                users.beforeWeights.set(version, (users.beforeWeights.get(version) ?? 0) + 1);
            }
        },
    });
    try {
        const run = await runRollout(stack.workspace, [
            "--to", "v2", "--url", helloUrl(), "--prometheus", prometheus?.url ?? "",
            "--settle", "200ms", "--pause", "2s", "--min-requests", "20", "--max-pause", "20s", ...args,
        ]);
        return { run, users };
    } finally {
        clearInterval(watch);
        await stream.stop();
        setFaults(dataPlaneDir(), {});
    }
}

beforeAll(async () => {
    // Requests before Prometheus, which waits for the gateway's series of the Service.
    seed = steadyStream(helloUrl(), { clients: 1, intervalMs: 50, maxMs: 60_000 });
    prometheus = await startGatewayPrometheus([gatewayPod()], NAMESPACE);
    await seed.stop();
});

afterAll(async () => {
    try {
        await seed?.stop();
    } finally {
        await prometheus?.stop();
    }
});

describe("a rollout's mirror and A/B phases through the real gateway", () => {
    it("judges the canary on its copies, then on the testers, before any user gets it; then steps and promotes", async () => {
        const receivedBefore = await v2Received();
        const { run, users } = await rollout({}, ["--steps", "100"]);
        expect(run.code, run.stderr).toBe(0);
        const rows = run.events.flatMap((e) => (e.event === "analysed" ? [e.row] : []));
        expect(rows.map((r) => [r.step, r.weights, r.passed, r.verify?.verdict])).toEqual([
            ["mirror", START, true, "match"], ["abTest", START, true, "match"], [1, { v1: 0, v2: 100 }, true, "match"],
        ]);
        // The phases' figures are the canary's own: the copies Envoy sent it, then the testers' requests.
        for (const row of rows) {
            expect(row.health?.requests, String(row.step)).toBeGreaterThanOrEqual(20);
            expect(row.health?.successRate).toBe(100);
        }
        expect(rows[1]?.verify?.summary).toMatch(/^testers: MATCH: .*; users: MATCH: /);
        // Users: v1 alone, and no failure, until the first step's weights were written.
        expect(users.failuresBeforeWeights).toBe(0);
        expect([...users.beforeWeights.keys()]).toEqual(["v1"]);
        expect(users.beforeWeights.get("v1")).toBeGreaterThan(100);
        // v2's app got at least the copies the gateway counted in the mirror phase, though no user had an answer from it.
        expect(await v2Received() - receivedBefore).toBeGreaterThanOrEqual(rows[0]?.health?.requests ?? Number.POSITIVE_INFINITY);
        expect(stackConfig()).toEqual({ weights: { v1: 0, v2: 100 }, routing: undefined });
        expect([...(await burst(helloUrl(), 100)).versions.keys()]).toEqual(["v2"]);
    });

    it("rolls back a canary that fails its copies: no user ever got it, no weight moved, the mirror gone", async () => {
        stack.workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=100", "--plaintext", "weights.v2=0"]);
        stack.workspace.mustRun(["up", "--yes"]);
        // Until the gateway follows, a user may still reach v2, whose failures would count against the phase.
        await servedBy("v1");
        const { run, users } = await rollout({ v2: { errorRate: 0.2 } }, ["--steps", "100"]);
        expect(run.code, run.stderr).toBe(1);
        expect(run.events.find((e) => e.event === "rollback")).toMatchObject({ failedStep: "mirror", weights: START, failure: { check: "success rate" } });
        expect(users.failuresBeforeWeights).toBe(0);
        expect([...users.beforeWeights.keys()]).toEqual(["v1"]);
        expect(stackConfig()).toEqual({ weights: START, routing: undefined });
        expect([...(await burst(helloUrl(), 100, 8, { "x-canary": "always" })).versions.keys()]).toEqual(["v1"]);
    });
});
