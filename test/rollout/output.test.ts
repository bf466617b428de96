// What a person reads at the end of a rollout: a table of every step.
import { describe, expect, it } from "vitest";
import type { StepRow } from "../../tools/rollout/events.ts";
import { renderTable } from "../../tools/rollout/output.ts";

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
