// The verdict of `npm run bench` over its sections: what it prints last and the exit status, so a
// missed target fails the command (CI, scripts) instead of scrolling past in the output.

/** A figure judged against a target; `ok` is absent where the figure has none. */
export interface JudgedLine {
    name: string;
    ok?: boolean;
}

export interface JudgedSection {
    title: string;
    lines: readonly JudgedLine[];
}

export const EXIT_TARGETS_MET = 0;
export const EXIT_TARGET_MISSED = 1;
/** The benchmark itself failed (a command, a cluster): not a verdict on any figure. */
export const EXIT_BENCH_FAILED = 2;

export function benchVerdict(sections: readonly JudgedSection[]): { text: string; exitCode: number } {
    const missed = sections.flatMap((s) => s.lines.filter((l) => l.ok === false).map((l) => `${s.title}: ${l.name}`));
    return missed.length === 0
        ? { text: "all targets met", exitCode: EXIT_TARGETS_MET }
        : { text: `targets missed:\n  ${missed.join("\n  ")}`, exitCode: EXIT_TARGET_MISSED };
}
