// What a person reads: the start line (with the metrics source and why) and, at the end, a table of every step.
import { describe, expect, it } from "vitest";
import type { RolloutEvent, StepRow } from "../../tools/rollout/events.ts";
import { HumanOutput, renderTable } from "../../tools/rollout/output.ts";
import type { MetricsChoice } from "../../tools/rollout/prometheus.ts";

const verify = (verdict: "match" | "mismatch", responses: number) => ({ verdict, responses, summary: "", seconds: 0.9, requestSeconds: 0.4 });

describe("renderTable", () => {
    it("shows weights, verify's verdict and sample, success rate, p99, requests and duration per step", () => {
        const rows: StepRow[] = [
            { step: 1, weights: { v1: 90, v2: 10 }, verify: verify("match", 436), health: { requests: 212, successRate: 100, p99Ms: 4.2, windowSeconds: 30 }, passed: true, seconds: 34.1 },
            { step: 2, weights: { v1: 75, v2: 25 }, verify: verify("match", 301), health: { requests: 530, successRate: 90.17, p99Ms: 48, windowSeconds: 30 }, passed: false, seconds: 33.9 },
            { step: "rollback", weights: { v1: 90, v2: 10 }, verify: verify("match", 420), passed: true, seconds: 6.2 },
        ];
        expect(renderTable(rows, { canary: "v2", stable: "v1" })).toBe([
            "",
            "step      weights        verify  responses  success     p99  requests  duration",
            "1         v1 90 / v2 10   MATCH        436   100.0%  4.2 ms       212    34.1 s",
            "2         v1 75 / v2 25   MATCH        301    90.2%   48 ms       530    33.9 s",
            "rollback  v1 90 / v2 10   MATCH        420        -       -         -     6.2 s",
            "",
            "",
        ].join("\n"));
    });
});

describe("HumanOutput", () => {
    const start = (metrics: MetricsChoice | null): RolloutEvent => ({
        event: "start", stack: "prod", canary: "v2", stable: "v1", weights: { v1: 100, v2: 0 }, steps: [10, 25, 50, 100], pauseSeconds: 60,
        prometheus: metrics === null ? null : "http://prometheus:9090/", metrics, waves: null, phases: [],
    });
    const stderrOf = (event: RolloutEvent) => {
        let text = "";
        new HumanOutput({ write: () => true }, { write: (chunk: string) => (text += chunk) }).emit(event);
        return text;
    };

    it("says which metrics the steps are judged on, and why", () => {
        expect(stderrOf(start({ source: "envoy", reason: "auto: Prometheus has no istio_requests_total series for helloworld.gray-demo.svc.cluster.local" }))).toBe(
            "rollout prod: v1 -> v2, from v1 100 / v2 0, steps 10, 25, 50, 100, pause 60 s, Prometheus http://prometheus:9090/\n" +
            "metrics: envoy (auto: Prometheus has no istio_requests_total series for helloworld.gray-demo.svc.cluster.local)\n");
    });

    it("says nothing of metrics without Prometheus", () => {
        expect(stderrOf(start(null))).toBe("rollout prod: v1 -> v2, from v1 100 / v2 0, steps 10, 25, 50, 100, pause 60 s, no Prometheus\n");
    });

    it("in waves, says which are done and each one's steps still to go", () => {
        expect(stderrOf({
            ...start(null), steps: [50, 100],
            waves: { done: [{ index: 0, clusters: ["c1"] }], remaining: [{ index: 1, clusters: ["c2", "c3"], steps: [50, 100] }, { index: 2, clusters: ["c4"], steps: [10, 50, 100] }] },
        } as RolloutEvent)).toBe("rollout prod: v1 -> v2, from v1 100 / v2 0, wave 1 (c1) at 100, wave 2 (c2, c3) steps 50, 100, then wave 3 (c4) steps 10, 50, 100, pause 60 s, no Prometheus\n");
    });

    it("names the phases before the weights, and a failed phase", () => {
        let text = "";
        const output = new HumanOutput({ write: () => true }, { write: (chunk: string) => (text += chunk) });
        output.emit({ ...start(null), phases: ["mirror", "abTest"] } as RolloutEvent);
        output.emit({ event: "analysed", row: { step: "mirror", weights: { v1: 100, v2: 0 }, verify: verify("match", 120), passed: true, seconds: 3 } });
        output.emit({ event: "rollback", failedStep: "abTest", weights: { v1: 100, v2: 0 }, failure: { check: "success rate", message: "v2 answered 90.0%" } });
        expect(text.replace(/\[[\d.]+ s\]/g, "[t]")).toBe(
            "rollout prod: v1 -> v2, from v1 100 / v2 0, phases mirror, abTest, then steps 10, 25, 50, 100, pause 60 s, no Prometheus\n" +
            "mirror     v1 100 / v2 0  verify MATCH (120)  passed  [t]\n" +
            "abTest phase failed (success rate): v2 answered 90.0%\n");
    });

    it("names the wave of each step, the failed one and the clusters rolled back", () => {
        let text = "";
        const output = new HumanOutput({ write: () => true }, { write: (chunk: string) => (text += chunk) });
        output.emit(start(null));
        output.emit({ event: "applying", step: 1, of: 2, weights: { v1: 50, v2: 50 }, wave: 1, clusters: ["c2"] });
        output.emit({ event: "analysed", row: { step: 1, wave: 1, weights: { v1: 50, v2: 50 }, verify: verify("mismatch", 90), passed: false, seconds: 3 } });
        output.emit({ event: "rollback", failedStep: 1, weights: { v1: 100, v2: 0 }, failure: { check: "verify", message: "MISMATCH" }, wave: 1, clusters: ["c1", "c2"] });
        expect(text.replace(/\[[\d.]+ s\]/g, "[t]")).toBe(
            "rollout prod: v1 -> v2, from v1 100 / v2 0, steps 10, 25, 50, 100, pause 60 s, no Prometheus\n" +
            "wave 2 step 1/2  v1 50 / v2 50  verify MISMATCH (90)  FAILED  [t]\n" +
            "wave 2 step 1 failed (verify): MISMATCH; rolling back c1, c2\n");
    });
});

describe("renderTable, wave by wave", () => {
    it("starts each row with its wave, counted from 1; the rollback and the promotion span waves", () => {
        const rows: StepRow[] = [
            { step: 1, wave: 0, weights: { v1: 0, v2: 100 }, verify: verify("match", 61), passed: true, seconds: 5 },
            { step: 1, wave: 1, weights: { v1: 0, v2: 100 }, verify: verify("match", 58), passed: true, seconds: 5.5 },
            { step: "promote", weights: { v1: 0, v2: 100 }, seconds: 2 },
        ];
        expect(renderTable(rows, { canary: "v2", stable: "v1" })).toBe([
            "",
            "wave  step     weights        verify  responses  success  p99  requests  duration",
            "1     1        v1 0 / v2 100   MATCH         61        -    -         -     5.0 s",
            "2     1        v1 0 / v2 100   MATCH         58        -    -         -     5.5 s",
            "      promote  v1 0 / v2 100       -          -        -    -         -     2.0 s",
            "",
            "",
        ].join("\n"));
    });
});
