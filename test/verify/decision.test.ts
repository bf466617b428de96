import { describe, expect, it } from "vitest";
import { SplitDecision } from "../../tools/verify/decision.ts";
import { designErrorTests, designSplit, UNKNOWN, type ExpectedShare } from "../../tools/verify/design.ts";
import type { Outcome } from "../../tools/verify/outcome.ts";

const horizon = 20000;
function decision(expected: ExpectedShare[], tolerance = 0.05): SplitDecision {
    return new SplitDecision(
        designSplit({ expected, tolerance, confidence: 0.95, horizon }),
        designErrorTests({ maxErrorRate: 0.05, confidence: 0.95, horizon }),
    );
}
const dev = [{ version: "v1", share: 0.8 }, { version: "v2", share: 0.2 }];
const v = (version: string): Outcome => ({ kind: "version", version });
const e503: Outcome = { kind: "error", error: "status", detail: "HTTP 503" };
/** 500 outcomes: `errorsPer100` errors spread evenly, the rest version responses in an exact 4:1. */
function withErrors(errorsPer100: number): Outcome[] {
    let versions = 0;
    return Array.from({ length: 500 }, (_, i) => (Math.floor(((i + 1) * errorsPer100) / 100) > Math.floor((i * errorsPer100) / 100)
        ? e503
        : v(versions++ % 5 === 4 ? "v2" : "v1")));
}
/** Feeds a repeating pattern, e.g. 4 x v1 then 1 x v2, until a verdict or `max` outcomes. */
function feed(d: SplitDecision, pattern: Outcome[], max: number) {
    for (let i = 0; i < max && d.verdict === undefined; i++) {
        d.observe(pattern[i % pattern.length] as Outcome);
    }
    return d.verdict;
}

describe("the decision engine", () => {
    it("splits the error budget of a mismatch over every one-sided test (Bonferroni)", () => {
        // v1 and v2 have both sides; the unknown versions only "above 5%".
        expect(designSplit({ expected: dev, tolerance: 0.05, confidence: 0.95, horizon }).mismatchTests).toBe(5);
        expect(designSplit({ expected: [{ version: "v1", share: 1 }], tolerance: 0.05, confidence: 0.95, horizon }).mismatchTests).toBe(2);
    });

    it("judges the split on version responses only; errors are counted beside them", () => {
        const d = decision(dev);
        d.observe(v("v1"));
        d.observe(e503);
        d.observe(v("v2"));
        expect([d.attempts, d.observations, d.errors]).toEqual([3, 2, 1]);
        expect(d.errorCounts.get("status")).toBe(1);
        expect(d.errorDetails.get("HTTP 503")).toBe(1);
    });

    it("files versions it does not know under one tested category, keeping their names", () => {
        const d = decision(dev);
        d.observe(v("v3"));
        d.observe(v("v4"));
        const unknown = d.category("v3");
        expect(unknown.version).toBe(UNKNOWN);
        expect(d.category("v4")).toBe(unknown);
        expect(d.countOf(unknown)).toBe(2);
        expect([...d.versionCounts.keys()]).toEqual(["v3", "v4"]);
    });

    it("matches an exact 4:1 stream once the first look allows, and then stops counting", () => {
        const d = decision(dev);
        const verdict = feed(d, [v("v1"), v("v1"), v("v1"), v("v1"), v("v2")], 5000);
        expect(verdict).toEqual({ kind: "match" });
        expect(d.attempts).toBeGreaterThanOrEqual(347);
        const counted = d.attempts;
        d.observe(v("v2"));
        expect(d.attempts).toBe(counted);
    });

    it("names the version and side of a mismatch", () => {
        const d = decision(dev);
        expect(feed(d, [v("v1"), v("v2")], 5000)).toEqual({ kind: "mismatch", version: "v1", direction: "below", edge: 0.75 });
    });

    it("serves a single version at 100% and a deployed version at weight 0", () => {
        expect(feed(decision([{ version: "v1", share: 1 }]), [v("v1")], 5000)).toEqual({ kind: "match" });
        const withIdle = decision([{ version: "v1", share: 1 }, { version: "v2", share: 0 }]);
        const idle = withIdle.category("v2");
        expect([idle.belowLow, idle.aboveHigh?.edge]).toEqual([undefined, 0.05]);
        expect(feed(withIdle, [v("v1"), v("v1"), v("v2")], 5000)?.kind).toBe("mismatch");
    });

    it("ends the run for errors only after the minimum number of attempts", () => {
        const d = decision(dev);
        for (let i = 0; i < 19; i++) {
            d.observe(e503);
        }
        expect(d.verdict).toBeUndefined();
        d.observe(e503);
        expect(d.verdict).toEqual({ kind: "errors" });
    });

    it("does not MATCH while the error rate is not shown below its limit, though the split alone would", () => {
        // Exactly 5% errors, on the limit: neither error test can decide, however long the run.
        const onLimit = decision(dev);
        expect(feed(onLimit, withErrors(5), 5000)).toBeUndefined();
        expect(onLimit.errorStatus()).toBe("open");
        const splitAlone = decision(dev);
        expect(feed(splitAlone, withErrors(5).filter((o) => o.kind === "version"), 5000)).toEqual({ kind: "match" });
        expect(splitAlone.attempts).toBeLessThan(onLimit.observations);
    });

    it("matches once the error rate is shown below its limit too", () => {
        const d = decision(dev);
        expect(feed(d, withErrors(1), 5000)).toEqual({ kind: "match" });
        expect(d.errorStatus()).toBe("within");
        expect(d.errors).toBeGreaterThan(0);
    });

    it("estimates the requests still needed: finite inside the band, none on its edge", () => {
        const inside = decision(dev);
        for (let i = 0; i < 1000; i++) {
            // Spread evenly (a run of 77 v1 in a row would itself be evidence that v2 is missing).
            inside.observe(v(Math.floor((i + 1) * 0.23) > Math.floor(i * 0.23) ? "v2" : "v1"));
        }
        expect(inside.verdict).toBeUndefined();
        const more = inside.estimateMoreAttempts();
        expect(more).toBeGreaterThan(100);
        expect(more).toBeLessThan(20000);
        const edge = decision(dev);
        for (let i = 0; i < 1000; i++) {
            edge.observe(v(i % 4 === 3 ? "v2" : "v1"));
        }
        expect(edge.estimateMoreAttempts()).toBe(Infinity);
    });

    it("estimates no end for an error rate on its limit, and counts failed requests in the estimate", () => {
        const onLimit = decision(dev);
        feed(onLimit, withErrors(5), 3000);
        expect(onLimit.estimateMoreAttempts()).toBe(Infinity);
        // The same responses with one request in ten failing, against a limit of 50% that the errors are soon
        // shown below: only the split is open, and each response it still needs costs 10/9 requests.
        const clean = decision(dev);
        const failing = new SplitDecision(clean.design, designErrorTests({ maxErrorRate: 0.5, confidence: 0.95, horizon }));
        for (let i = 0; i < 1000; i++) {
            const outcome = v(Math.floor((i + 1) * 0.23) > Math.floor(i * 0.23) ? "v2" : "v1");
            clean.observe(outcome);
            failing.observe(outcome);
            if (i % 9 === 8) {
                failing.observe(e503);
            }
        }
        expect([clean.verdict, failing.verdict]).toEqual([undefined, undefined]);
        expect(failing.estimateMoreAttempts()).toBeGreaterThan(clean.estimateMoreAttempts());
    });
});
