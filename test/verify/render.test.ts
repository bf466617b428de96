// What a person reads at the end of a run. Built from fixed outcomes and a fixed duration, so the
// snapshot holds no random or time-based data.
import { describe, expect, it } from "vitest";
import { SplitDecision } from "../../tools/verify/decision.ts";
import { designErrorTests, designSplit } from "../../tools/verify/design.ts";
import type { Outcome } from "../../tools/verify/outcome.ts";
import { renderReport } from "../../tools/verify/render.ts";
import { buildReport } from "../../tools/verify/report.ts";

function reportAfter(outcomes: Outcome[]) {
    const decision = new SplitDecision(
        designSplit({ expected: [{ version: "v1", share: 0.8 }, { version: "v2", share: 0.2 }], tolerance: 0.05, confidence: 0.95, horizon: 20000 }),
        designErrorTests({ maxErrorRate: 0.05, confidence: 0.95, horizon: 20000 }),
    );
    for (const outcome of outcomes) {
        decision.observe(outcome);
    }
    return buildReport({
        decision, url: "http://ingress.example/hello", expectedFrom: "stack dev", expectedKind: "stack", confidence: 0.95, maxRequests: 20000,
        concurrency: 8, maxErrorRate: 0.05, sent: decision.attempts + 7, discarded: 7, seconds: 2,
    });
}
const v = (version: string): Outcome => ({ kind: "version", version });

describe("the printed result", () => {
    it("shows table, chart and verdict for a match", () => {
        const outcomes = Array.from({ length: 600 }, (_, i) => (i % 5 === 4 ? v("v2") : v("v1")));
        outcomes.splice(100, 1, v("v3"));
        outcomes.splice(200, 1, { kind: "error", error: "status", detail: "HTTP 503" });
        const report = reportAfter(outcomes);
        expect(report.verdict).toBe("match");
        expect(renderReport(report)).toMatchSnapshot();
    });

    it("says the error rate is what is still open when the split is already within its bands", () => {
        // Exactly 1 request in 20 fails, right on the 5% limit; the responses are an exact 4:1.
        let versions = 0;
        const report = reportAfter(Array.from({ length: 3000 }, (_, i) => (i % 20 === 19
            ? { kind: "error", error: "status", detail: "HTTP 503" }
            : v(versions++ % 5 === 4 ? "v2" : "v1"))));
        expect([report.verdict, report.exitCode, report.errors.status]).toEqual(["inconclusive", 1, "open"]);
        expect(report.summary).toBe("INCONCLUSIVE after 3000 requests: errors 5.0% not yet clearly below or above the 5% limit; " +
            "the observed error rate sits on its limit, so more requests may never decide.");
    });

    it("shows where a mismatched share sits", () => {
        const report = reportAfter(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? v("v1") : v("v2"))));
        expect(report.verdict).toBe("mismatch");
        expect(renderReport(report)).toMatchSnapshot();
    });
});
