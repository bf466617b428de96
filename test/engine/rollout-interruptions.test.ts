// What stops a rollout without a verdict: the ingress or Prometheus not answering before the first step
// (exit 2, nothing applied), Prometheus going away (exit 2, no further step), the tool
// killed during a pause (the rerun resumes and ends promoted), a second rollout of the same stack, and
// an update of the stack by someone else (Pulumi's stack lock). The stack file always holds a step that
// was applied whole.
import { mkdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, inject, it } from "vitest";
import type { RolloutEvent } from "../../tools/rollout/events.ts";
import { freePort } from "../../harness/prometheus-server.ts";
import { RolloutScenario } from "../rollout/scenario.ts";

const scenarios: RolloutScenario[] = [];

async function scenario(): Promise<RolloutScenario> {
    const started = await RolloutScenario.start({ engineBin: inject("engineBin"), weights: { v1: 100, v2: 0 } });
    scenarios.push(started);
    return started;
}

const applied = (step: number) => (e: RolloutEvent) => e.event === "applied" && e.step === step;
const FLAGS = ["--to", "v2", "--min-requests", "20", "--max-pause", "30s"];

describe("a rollout stopped without a verdict", () => {
    afterEach(async () => {
        await Promise.all(scenarios.splice(0).map((s) => s.stop()));
    });

    it("applies nothing when the ingress or Prometheus does not answer before the first step", async () => {
        const s = await scenario();
        const nowhere = `http://127.0.0.1:${await freePort()}`;
        // One after the other: the second would otherwise meet the first one's rollout lock.
        for (const [start, problem] of [
            [() => s.rollout([...FLAGS, "--pause", "1s"], { url: `${nowhere}/hello` }), `the ingress at ${nowhere}/hello does not answer: connection refused`],
            [() => s.rollout([...FLAGS, "--pause", "1s", "--prometheus", nowhere], { prometheus: false }), `cannot query Prometheus at ${nowhere}/: connection refused`],
        ] as const) {
            const run = start();
            const result = await run.done;
            expect(result.code).toBe(2);
            expect(run.events).toEqual([expect.objectContaining({
                event: "done", outcome: "error", exitCode: 2, rows: [], summary: `${problem}; nothing was changed (the stack stays at v1 100 / v2 0)`,
            })]);
        }
        expect(s.stackWeights()).toEqual({ v1: 100, v2: 0 });
        expect(s.renderedRoutes()).toEqual({ "mdemo-cluster1": [["v1", 100]], "mdemo-cluster2": [["v1", 100]] });
    }, 300_000);

    it("exits 2 when Prometheus stops mid-rollout, leaving the step it applied, and goes no further", async () => {
        const s = await scenario();
        const run = s.rollout([...FLAGS, "--pause", "3s"]);
        await run.waitFor(applied(2));
        await s.prometheus.stop();
        const result = await run.done;
        expect(result.code).toBe(2);
        expect(result.stderr).toBe("");
        expect(run.events.filter((e) => e.event === "applying").map((e) => e.event === "applying" && e.step)).toEqual([1, 2]);
        const done = run.events.at(-1);
        expect(done).toMatchObject({ event: "done", outcome: "error", exitCode: 2 });
        expect(done?.event === "done" && done.summary).toMatch(/^cannot query Prometheus at http:\/\/127\.0\.0\.1:\d+\/: connection refused; the stack stays at v1 75 \/ v2 25 \(the last applied step\): rerun the same command to resume$/);
        expect(s.stackWeights()).toEqual({ v1: 75, v2: 25 });
        expect(s.renderedRoutes()).toEqual({ "mdemo-cluster1": [["v1", 75], ["v2", 25]], "mdemo-cluster2": [["v1", 75], ["v2", 25]] });
    }, 300_000);

    it("resumes from the stack's weights after being killed during a pause, and ends promoted", async () => {
        const s = await scenario();
        const first = s.rollout([...FLAGS, "--pause", "4s"]);
        await first.waitFor(applied(2));
        first.child.kill("SIGKILL");
        await first.done;
        expect(s.stackWeights()).toEqual({ v1: 75, v2: 25 });

        const rerun = s.rollout([...FLAGS, "--pause", "2s"]);
        const result = await rerun.done;
        expect(result.code, result.stderr).toBe(0);
        expect(rerun.events[0]).toMatchObject({ event: "start", weights: { v1: 75, v2: 25 }, steps: [25, 50, 100] });
        // Step 25 is applied again (nothing to change: it was applied whole) and analysed, then the rest.
        expect(rerun.events.filter((e) => e.event === "applied").map((e) => e.event === "applied" && [e.weights.v2, e.changes])).toEqual([[25, 0], [50, 4], [100, 4]]);
        expect(s.stackWeights()).toEqual({ v1: 0, v2: 100 });
        expect(s.renderedRoutes()).toEqual({ "mdemo-cluster1": [["v2", 100]], "mdemo-cluster2": [["v2", 100]] });
    }, 300_000);

    it("refuses a second rollout of the stack while one runs, without touching the first", async () => {
        const s = await scenario();
        const first = s.rollout([...FLAGS, "--steps", "10,100", "--pause", "4s"]);
        await first.waitFor(applied(1));
        const second = s.rollout([...FLAGS, "--steps", "50,100", "--pause", "1s"]);
        const refused = await second.done;
        expect(refused.code).toBe(2);
        expect(second.events).toEqual([expect.objectContaining({ event: "done", outcome: "error", exitCode: 2 })]);
        const done = second.events[0];
        expect(done?.event === "done" && done.summary).toMatch(new RegExp(`^stack 'engine' is being rolled out by process ${first.child.pid} on .+; wait for it to finish`));
        expect(s.stackWeights()).toEqual({ v1: 90, v2: 10 });
        const result = await first.done;
        expect(result.code, result.stderr).toBe(0);
        expect(s.stackWeights()).toEqual({ v1: 0, v2: 100 });
    }, 300_000);

    it("stops before applying a step whose preview changes more than the VirtualServices", async () => {
        const s = await scenario();
        // A change made in the stack file but never applied: the step's update would carry it along.
        s.workspace.mustRun(["config", "set", "--path", "versions.v2.replicas", "2"]);
        const run = s.rollout([...FLAGS, "--pause", "1s"]);
        const result = await run.done;
        expect(result.code).toBe(2);
        expect(run.events.some((e) => e.event === "applied")).toBe(false);
        const done = run.events.at(-1);
        expect(done?.event === "done" && done.summary).toBe("the preview would also update kubernetes:apps/v1:Deployment helloworld-mdemo-cluster1-helloworld-v2; " +
            "the rollout changes weights only: bring the stack up to date with `pulumi up` first; the stack stays at v1 100 / v2 0 (the last applied step): rerun the same command to resume");
        expect(s.stackWeights()).toEqual({ v1: 100, v2: 0 });
        expect(s.renderedRoutes()).toEqual({ "mdemo-cluster1": [["v1", 100]], "mdemo-cluster2": [["v1", 100]] });
    }, 300_000);

    it("stops cleanly on Pulumi's stack lock when another update holds the stack, and leaves the weights as applied", async () => {
        const s = await scenario();
        // What `pulumi up` writes into a file backend while it runs (pkg/backend/diy/lock.go).
        const backend = fileURLToPath(s.workspace.env.PULUMI_BACKEND_URL ?? "");
        const locks = path.join(backend, ".pulumi/locks/organization/helloworld-grayscale", s.workspace.stack);
        mkdirSync(locks, { recursive: true });
        writeFileSync(path.join(locks, "6f1d3c1e-0000-4000-8000-000000000000.json"),
            JSON.stringify({ pid: 4242, username: "ci", hostname: hostname(), timestamp: new Date().toISOString() }));
        const run = s.rollout([...FLAGS, "--pause", "1s"]);
        const result = await run.done;
        expect(result.code).toBe(2);
        const done = run.events.at(-1);
        expect(done?.event === "done" && done.summary).toMatch(/^pulumi up failed: another update holds the stack's lock \(the stack is currently locked by 1 lock\(s\)\..*\); wait for it to finish, then rerun; the stack stays at v1 100 \/ v2 0 \(the last applied step\)/);
        expect(s.stackWeights()).toEqual({ v1: 100, v2: 0 });
        expect(s.renderedRoutes()).toEqual({ "mdemo-cluster1": [["v1", 100]], "mdemo-cluster2": [["v1", 100]] });
    }, 300_000);
});
