// The canary's thresholds, Flagger-style: at or above the minimum success rate, at or below the
// maximum p99; a figure that cannot be read fails its check.
import { describe, expect, it } from "vitest";
import { judgeHealth, type HealthResult } from "../../tools/rollout/analysis.ts";

const limits = { minSuccessRate: 99, maxP99Ms: 500 };
const health = (h: Partial<HealthResult>): HealthResult => ({ requests: 400, successRate: 100, p99Ms: 40, windowSeconds: 60, ...h });

describe("judgeHealth", () => {
    it.each([
        ["a healthy canary", health({}), undefined],
        ["exactly the minimum success rate", health({ successRate: 99 }), undefined],
        ["exactly the maximum p99", health({ p99Ms: 500 }), undefined],
        ["too many 5xx", health({ successRate: 97.25 }), { check: "success rate", message: "v2 answered 97.3% of 400 requests in 60 s without a 5xx, below the minimum 99%" }],
        ["too slow", health({ p99Ms: 912.4 }), { check: "p99", message: "v2's p99 latency was 912 ms over 400 requests in 60 s, above the maximum 500 ms" }],
        ["no latency histogram", health({ p99Ms: null }), { check: "p99", message: "v2's p99 latency was n/a over 400 requests in 60 s, above the maximum 500 ms" }],
    ])("%s", (_label, figures, verdict) => {
        expect(judgeHealth(figures, "v2", limits)).toEqual(verdict);
    });
});
