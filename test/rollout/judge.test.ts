// The canary's thresholds, Flagger-style: at or above the minimum success rate, at or below the
// maximum p99; a figure that cannot be read fails its check.
import { describe, expect, it } from "vitest";
import { canJudge, judgeHealth, notJudged, type HealthResult } from "../../tools/rollout/analysis.ts";

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

describe("canJudge", () => {
    it.each([
        ["enough requests with a p99", health({}), true],
        ["too few requests", health({ requests: 19 }), false],
        // Envoy's histograms reach its stats at each flush: counts can come before any latency figure.
        ["enough requests and no latency histogram yet", health({ p99Ms: null }), false],
    ])("%s", (_label, figures, judgeable) => {
        expect(canJudge(figures, 20)).toBe(judgeable);
    });
});

describe("notJudged", () => {
    const settings = { minRequests: 20, maxPauseMs: 20_000 };
    it("says the request count was short", () => {
        expect(notJudged(health({ requests: 7, windowSeconds: 20 }), "v2", settings)).toEqual({
            check: "request count",
            message: "inconclusive: Prometheus saw 7 requests to v2 in 20 s, fewer than the 20 needed to judge it, and the pause cannot be extended past 20 s",
        });
    });

    it("says the latency was never there", () => {
        expect(notJudged(health({ p99Ms: null, windowSeconds: 20 }), "v2", settings)).toEqual({
            check: "p99",
            message: "inconclusive: Prometheus saw 400 requests to v2 in 20 s but no latency histogram for them " +
                "(a proxy's histograms reach Prometheus at its stats flush), and the pause cannot be extended past 20 s",
        });
    });
});
