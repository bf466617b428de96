// The decision engine: pure and deterministic, fed one outcome at a time (by the HTTP sampler, or by a
// seeded simulation), and says when the data have decided. No I/O, no clock.
import { UNKNOWN, type CategoryTests, type ErrorTests, type SplitDesign } from "./design.ts";
import type { ErrorKind, Outcome } from "./outcome.ts";

export type Verdict =
    | { kind: "match" }
    | { kind: "mismatch"; version: string; direction: "below" | "above"; edge: number }
    | { kind: "errors" };

type Mismatch = Extract<Verdict, { kind: "mismatch" }>;

/** Where the error rate stands against its limit: shown below it, shown above it, or not yet either. */
export type ErrorStatus = "within" | "outside" | "open";

export class SplitDecision {
    readonly design: SplitDesign;
    readonly errorTests: ErrorTests;
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

    constructor(design: SplitDesign, errorTests: ErrorTests) {
        this.design = design;
        this.errorTests = errorTests;
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

    errorStatus(): ErrorStatus {
        const { above, below } = this.errorTests;
        return above.rejects(this.errors, this.attempts) ? "outside" : below.rejects(this.errors, this.attempts) ? "within" : "open";
    }

    private decide(): Verdict | undefined {
        const errors = this.errorStatus();
        if (errors === "outside") {
            return { kind: "errors" };
        }
        const split = this.splitVerdict();
        // The split is often shown within its bands before the error rate is shown below its limit: a
        // MATCH called then would pass a service failing more requests than the limit allows. So MATCH
        // joins the error rate's "below" test to the shares' match tests (intersection-union, each at the
        // run's level) and the run goes on until all of them hold at once.
        if (split === "within") {
            return errors === "within" ? { kind: "match" } : undefined;
        }
        return split;
    }

    /** The split's own answer: a mismatch, "within" when every match test rejects, or not yet. */
    private splitVerdict(): Mismatch | "within" | undefined {
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
        return allWithin ? "within" : undefined;
    }

    /**
     * About how many more requests would likely decide, if every share and the error rate stayed at their
     * observed values: a MATCH waits for the slowest of the open match tests and the error rate's "below"
     * test, a failure for the quickest of the mismatch tests and the error rate's "above" test.
     */
    estimateMoreAttempts(): number {
        const n = this.attempts;
        if (n === 0) {
            return Infinity;
        }
        // Failed requests carry no information about the split: its steps scale up by the share that did.
        const useful = this.observations / n;
        const asAttempts = (observations: number) => (observations === 0 ? 0 : useful > 0 ? observations / useful : Infinity);
        const split = this.splitSteps();
        const p = this.errors / n;
        const { above, below } = this.errorTests;
        const toBelow = below.rejects(this.errors, n) ? 0 : below.stepsToReject(this.errors, n, p);
        const toMatch = Math.max(asAttempts(split.toMatch), toBelow);
        const toFail = Math.min(asAttempts(split.toMismatch), above.stepsToReject(this.errors, n, p));
        return Math.ceil(Math.min(toMatch, toFail));
    }

    /** In version responses: the slowest open match test and the quickest mismatch test. */
    private splitSteps(): { toMatch: number; toMismatch: number } {
        const n = this.observations;
        if (n === 0) {
            return { toMatch: Infinity, toMismatch: Infinity };
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
        return { toMatch, toMismatch };
    }
}
