// The interval printed for each share: the shares that the run's own tests cannot yet rule out. Each
// bound inverts the match test and the mismatch test of its side, at the thresholds those tests use, so
// the table and the verdict agree: MATCH exactly when every interval lies inside its tolerance band,
// MISMATCH when one lies wholly outside.
import { MATCH_OFFSETS, MISMATCH_OFFSETS, type CategoryTests, type SplitDesign } from "./design.ts";
import { UpperMixture } from "./mixture.ts";
import type { SideTest } from "./side-test.ts";

export interface Interval {
    low: number;
    high: number;
}

/** The interval for x responses of n, judged with the tests of `category` (shares 0..1). */
export function shareInterval(design: SplitDesign, category: CategoryTests, x: number, n: number): Interval {
    if (n === 0) {
        return { low: 0, high: 1 };
    }
    const d = design.tolerance;
    const ville = Math.log(1 / design.level);
    const mismatch = Math.log(1 / design.mismatchLevel);
    const near = (side: SideTest) => (n >= side.firstLook && Number.isFinite(side.threshold) ? side.threshold : ville);
    const low = bound(x, n, d, near(category.aboveLow), mismatch);
    const high = 1 - bound(n - x, n, d, near(category.belowHigh), mismatch);
    return { low, high };
}

/** The largest p0 at which "the event rate is above p0" is established (0 if none). */
function bound(x: number, n: number, d: number, nearThreshold: number, farThreshold: number): number {
    if (x === 0) {
        return 0;
    }
    const rejects = (p0: number) => {
        const near = new UpperMixture(p0, MATCH_OFFSETS.map((o) => ({ q: Math.min(p0 + o.distance * d, 1), weight: o.weight })));
        const far = new UpperMixture(p0, MISMATCH_OFFSETS.map((o) => ({ q: Math.min(p0 + o.distance * d, 1), weight: o.weight })));
        return near.logValue(x, n) >= nearThreshold || far.logValue(x, n) >= farThreshold;
    };
    // Evidence against "rate <= p0" only shrinks as p0 grows, so the rejected p0 form an interval (0, L).
    let low = 1e-9;
    let high = x / n;
    if (high <= low || !rejects(low)) {
        return 0;
    }
    for (let i = 0; i < 40; i++) {
        const mid = (low + high) / 2;
        if (rejects(mid)) {
            low = mid;
        } else {
            high = mid;
        }
    }
    return low;
}
