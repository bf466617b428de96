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

/** Prints a section as `npm run bench` shows it: one line per figure, with its target and verdict. */
export function printSection(section: BenchSection): void {
    console.log(`\n## ${section.title}`);
    const width = Math.max(...section.lines.map((l) => l.name.length));
    for (const line of section.lines) {
        const verdict = line.ok === undefined ? "" : line.ok ? "  ok" : "  MISSED";
        const target = line.target === undefined ? "" : `  (target ${line.target})`;
        console.log(`  ${line.name.padEnd(width)}  ${line.value}${target}${verdict}`);
    }
}
