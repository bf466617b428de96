// What each benchmark module hands to `npm run bench`, which prints every section of one run.

/** One measured figure, with the target it is judged against where the project has one. */
export interface BenchLine {
    name: string;
    /** The figure as printed, with its unit or as a ratio ("1.12x"). */
    value: string;
    /** The target in words, e.g. "<= 1.3x baseline". */
    target?: string;
    /** Whether the figure meets the target; absent where there is no target. */
    ok?: boolean;
}

export interface BenchSection {
    title: string;
    lines: BenchLine[];
}
