// The decision engine: pure and deterministic, fed one outcome at a time (by the HTTP sampler, or by a
// seeded simulation), and says when the data have decided. No I/O, no clock.
import { UNKNOWN, type CategoryTests, type SplitDesign } from "./design.ts";
import type { ErrorKind, Outcome } from "./outcome.ts";
import type { SideTest } from "./side-test.ts";

export type Verdict =
    | { kind: "match" }
    | { kind: "mismatch"; version: string; direction: "below" | "above"; edge: number }
    | { kind: "errors" };

export class SplitDecision {
    readonly design: SplitDesign;
    readonly errorTest: SideTest;
    /** Every outcome, errors included. */
    attempts = 0;
    /** Responses that named a version: the only ones the split is judged on. */
    observations = 0;
    errors = 0;
    readonly versionCounts = new Map<string, number>();
    readonly errorCounts = new Map<ErrorKind, number>();
    /** Error details (e.g. "HTTP 503") with counts, for the report. */
    readonly errorDetails = new Map<string, number>();
    verdict: Verdict | undefined;
    private readonly categoryOf = new Map<string, CategoryTests>();
    private readonly categoryCounts = new Map<CategoryTests, number>();

    constructor(design: SplitDesign, errorTest: SideTest) {
        this.design = design;
        this.errorTest = errorTest;
        for (const c of design.categories) {
            this.categoryOf.set(c.version, c);
            this.categoryCounts.set(c, 0);
        }
    }

    /** Counts one outcome and returns the verdict once there is one; later outcomes are not counted. */
    observe(outcome: Outcome): Verdict | undefined {
        if (this.verdict !== undefined) {
            return this.verdict;
        }
        this.attempts++;
        if (outcome.kind === "error") {
            this.errors++;
            this.errorCounts.set(outcome.error, (this.errorCounts.get(outcome.error) ?? 0) + 1);
            this.errorDetails.set(outcome.detail, (this.errorDetails.get(outcome.detail) ?? 0) + 1);
        } else {
            this.observations++;
            this.versionCounts.set(outcome.version, (this.versionCounts.get(outcome.version) ?? 0) + 1);
            const category = this.category(outcome.version);
            this.categoryCounts.set(category, (this.categoryCounts.get(category) ?? 0) + 1);
        }
        this.verdict = this.decide();
        return this.verdict;
    }

    /** The tested category a version's responses count toward. */
    category(version: string): CategoryTests {
        const known = version === UNKNOWN ? undefined : this.categoryOf.get(version);
        return known ?? (this.categoryOf.get(UNKNOWN) as CategoryTests);
    }

    countOf(category: CategoryTests): number {
        return this.categoryCounts.get(category) ?? 0;
    }

    private decide(): Verdict | undefined {
        if (this.errorTest.rejects(this.errors, this.attempts)) {
            return { kind: "errors" };
        }
        const n = this.observations;
        if (n === 0) {
            return undefined;
        }
        let allWithin = true;
        for (const c of this.design.categories) {
            const x = this.countOf(c);
            for (const side of [c.belowLow, c.aboveHigh]) {
                if (side?.rejects(x, n)) {
                    return { kind: "mismatch", version: c.version, direction: side.direction, edge: side.edge };
                }
            }
            allWithin &&= c.aboveLow.rejects(x, n) && c.belowHigh.rejects(x, n);
        }
        return allWithin ? { kind: "match" } : undefined;
    }

    /**
     * About how many more version responses would likely decide, if every share stayed at its observed
     * value: the slowest open match test or the quickest mismatch test, whichever comes first.
     */
    estimateMoreObservations(): number {
        const n = this.observations;
        if (n === 0) {
            return Infinity;
        }
        let toMatch = 0;
        let toMismatch = Infinity;
        for (const c of this.design.categories) {
            const x = this.countOf(c);
            const p = x / n;
            for (const side of [c.aboveLow, c.belowHigh]) {
                if (!side.rejects(x, n)) {
                    toMatch = Math.max(toMatch, side.stepsToReject(x, n, p));
                }
            }
            for (const side of [c.belowLow, c.aboveHigh]) {
                if (side !== undefined) {
                    toMismatch = Math.min(toMismatch, side.stepsToReject(x, n, p));
                }
            }
        }
        return Math.ceil(Math.min(toMatch, toMismatch));
    }
}
