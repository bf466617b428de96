// One one-sided question about one share ("is it above 75%?"), answered by a mixture test with its
// threshold, or settled in advance when the edge lies outside [0, 1].
import { calibratedThreshold } from "./calibrate.ts";
import { UpperMixture } from "./mixture.ts";

export type Direction = "above" | "below";

export interface SideTestSpec {
    /** The share the question is about ("above 0.75"). */
    edge: number;
    direction: Direction;
    /** Distances from the edge, in the direction asked, that the mixture bets on; weights sum to anything. */
    offsets: ReadonlyArray<{ distance: number; weight: number }>;
    level: number;
    firstLook: number;
    horizon: number;
}

export interface SideTest {
    readonly edge: number;
    readonly direction: Direction;
    /** log of the evidence needed to reject (-Infinity: settled without data; Infinity: never). */
    readonly threshold: number;
    readonly firstLook: number;
    /** Whether the data (x events of n) establish the answer "yes" at the test's level. */
    rejects(x: number, n: number): boolean;
    /** Rough number of further observations until rejection, if the share stays at p; Infinity if never. */
    stepsToReject(x: number, n: number, p: number): number;
}

/** Builds the test for one side; an edge below 0 (above) or above 1 (below) needs no data at all. */
export function sideTest(spec: SideTestSpec): SideTest {
    // "below e" on events is "above 1-e" on non-events: one implementation serves both directions.
    const b = spec.direction === "above" ? spec.edge : 1 - spec.edge;
    if (b < -1e-12) {
        return { ...fixed(spec, -Infinity), rejects: () => true, stepsToReject: () => 0 };
    }
    if (b < 1e-12) {
        // The null is "the share is exactly 0" (or 1): a single event of the other kind disproves it.
        const seen = (x: number, n: number) => (spec.direction === "above" ? x : n - x) > 0;
        return {
            ...fixed(spec, 0),
            rejects: (x, n) => n >= spec.firstLook && seen(x, n),
            stepsToReject: (x, n, p) => (seen(x, n) ? Math.max(0, spec.firstLook - n) : 1 / Math.max(eventRate(spec.direction, p), 1e-12)),
        };
    }
    if (b > 1 - 1e-12) {
        return { ...fixed(spec, Infinity), rejects: () => false, stepsToReject: () => Infinity };
    }
    const mixture = new UpperMixture(b, spec.offsets.map((o) => ({ q: Math.min(b + o.distance, 1), weight: o.weight })));
    const threshold = calibratedThreshold({ test: mixture, level: spec.level, firstLook: spec.firstLook, horizon: spec.horizon });
    const events = (x: number, n: number) => (spec.direction === "above" ? x : n - x);
    return {
        ...fixed(spec, threshold),
        rejects: (x, n) => n >= spec.firstLook && mixture.logValue(events(x, n), n) >= threshold,
        stepsToReject(x, n, p) {
            let best = Infinity;
            for (let j = 0; j < mixture.alternatives.length; j++) {
                const drift = mixture.drift(j, eventRate(spec.direction, p));
                if (drift > 0) {
                    const gap = threshold - mixture.componentLog(j, events(x, n), n);
                    best = Math.min(best, Math.max(0, gap) / drift);
                }
            }
            return Math.max(best, spec.firstLook - n);
        },
    };
}

function eventRate(direction: Direction, p: number): number {
    return direction === "above" ? p : 1 - p;
}

function fixed(spec: SideTestSpec, threshold: number) {
    return { edge: spec.edge, direction: spec.direction, threshold, firstLook: spec.firstLook };
}
