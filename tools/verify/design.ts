// Which tests a run makes, at which levels, and what they bet on. The choices are explained in the
// README's "How verify decides"; the numbers were tuned by simulation (bench/verify.ts re-measures them).
import { sideTest, type SideTest } from "./side-test.ts";
import { fixedSampleSize } from "./tost.ts";

/** Responses from versions the stack does not know are tested together, as one category expected at 0%. */
export const UNKNOWN = "(unknown versions)";

/** A match bets mostly that the share sits right on its weight, a little on "just inside the edge". */
export const MATCH_OFFSETS = [
    { distance: 1, weight: 0.85 },
    { distance: 0.6, weight: 0.1 },
    { distance: 0.4, weight: 0.05 },
] as const;

/** A mismatch can be anything from one tolerance to far outside: equal bets on 1, 2, 4 and 8 tolerances. */
export const MISMATCH_OFFSETS = [1, 2, 4, 8].map((distance) => ({ distance, weight: 0.25 }));

/** Match tests first look at half the one-shot sample size: earlier matches are too rare to pay for. */
export const FIRST_LOOK_FRACTION = 0.5;

/** The power of the one-shot TOST that sets the first look (and that the bench compares against). */
export const REFERENCE_POWER = 0.9;

export interface ExpectedShare {
    version: string;
    /** 0..1 */
    share: number;
}

export interface DesignInput {
    expected: ExpectedShare[];
    /** As a share: 0.05 for 5 percentage points. */
    tolerance: number;
    confidence: number;
    /** The request cap: thresholds are exact up to this many observations. */
    horizon: number;
}

export interface CategoryTests {
    version: string;
    share: number;
    /** Match needs both of these: the share is above share-d and below share+d. */
    aboveLow: SideTest;
    belowHigh: SideTest;
    /** Either of these is a mismatch (absent where the edge lies outside [0, 1]). */
    belowLow?: SideTest;
    aboveHigh?: SideTest;
}

export interface SplitDesign {
    categories: CategoryTests[];
    /** How many mismatch tests share the error budget (Bonferroni). */
    mismatchTests: number;
    level: number;
    tolerance: number;
    /** The threshold the mismatch tests use (log units), for intervals. */
    mismatchLevel: number;
}

export function designSplit(input: DesignInput): SplitDesign {
    const d = input.tolerance;
    const level = 1 - input.confidence;
    const shares = [...input.expected, { version: UNKNOWN, share: 0 }];
    const mismatchSides = shares.reduce((sum, s) => sum + (s.share - d > 0 ? 1 : 0) + (s.share + d < 1 ? 1 : 0), 0);
    const mismatchLevel = level / mismatchSides;
    const common = { horizon: input.horizon };
    const categories = shares.map(({ version, share }): CategoryTests => {
        const oneShot = fixedSampleSize({ share, tolerance: d, confidence: input.confidence, power: REFERENCE_POWER });
        const firstLook = Math.max(1, Math.ceil(FIRST_LOOK_FRACTION * oneShot));
        const near = MATCH_OFFSETS.map((o) => ({ distance: o.distance * d, weight: o.weight }));
        const far = MISMATCH_OFFSETS.map((o) => ({ distance: o.distance * d, weight: o.weight }));
        const match = { ...common, offsets: near, level, firstLook };
        const mismatch = { ...common, offsets: far, level: mismatchLevel, firstLook: 1 };
        return {
            version,
            share,
            aboveLow: sideTest({ ...match, edge: share - d, direction: "above" }),
            belowHigh: sideTest({ ...match, edge: share + d, direction: "below" }),
            ...(share - d > 0 ? { belowLow: sideTest({ ...mismatch, edge: share - d, direction: "below" }) } : {}),
            ...(share + d < 1 ? { aboveHigh: sideTest({ ...mismatch, edge: share + d, direction: "above" }) } : {}),
        };
    });
    return { categories, mismatchTests: mismatchSides, level, tolerance: d, mismatchLevel };
}

/** One early failure (a cold connection, a pod restarting) must not end a run: judge errors from here on. */
export const MIN_ERROR_ATTEMPTS = 20;

/** The error rate's two questions, both over all attempts and at the run's confidence. */
export interface ErrorTests {
    /** "More than maxErrorRate of requests fail": ends the run (too many errors). */
    above: SideTest;
    /** "Fewer than maxErrorRate of requests fail": a MATCH needs it, as it needs each share's two tests. */
    below: SideTest;
}

/** How far from the limit each error test bets the rate lies, as fractions of the room on its side. */
const ERROR_OFFSETS = [0.1, 0.25, 0.5, 0.8];

export function designErrorTests(input: { maxErrorRate: number; confidence: number; horizon: number }): ErrorTests {
    const b = input.maxErrorRate;
    const common = { edge: b, level: 1 - input.confidence, firstLook: MIN_ERROR_ATTEMPTS, horizon: input.horizon };
    const bets = (room: number, weight: number) => ERROR_OFFSETS.map((r) => ({ distance: room * r, weight }));
    const each = 1 / ERROR_OFFSETS.length;
    return {
        // Bets on large excesses alone (fractions of 1 - b) leave a rate a little above the limit (7% against
        // 5%) undecided for 20 000 requests; half the weight goes to the same fractions of b above it, the
        // mirror of the "below" test, so such a rate ends with too many errors in hundreds of requests.
        above: sideTest({ ...common, direction: "above", offsets: [...bets(b, each / 2), ...bets(1 - b, each / 2)] }),
        below: sideTest({ ...common, direction: "below", offsets: bets(b, each) }),
    };
}
