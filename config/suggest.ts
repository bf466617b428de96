// "did you mean ...": the closest known name to a misspelt one.

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
    const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
            let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + substitution);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                best = Math.min(best, at(i - 2, j - 2) + 1);
            }
            (rows[i] as number[])[j] = best;
        }
    }
    return at(a.length, b.length);
}

/**
 * The candidate a typo most likely meant: the nearest one, if it is within a third of the word's
 * length (at least one edit), and the only one that near. Case differences count as no edit.
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
    const allowed = Math.max(1, Math.floor(word.length / 3));
    const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(word.toLowerCase(), candidate.toLowerCase()) }))
        .filter((s) => s.distance <= allowed)
        .sort((x, y) => x.distance - y.distance);
    const [best, next] = scored;
    return best !== undefined && (next === undefined || next.distance > best.distance) ? best.candidate : undefined;
}
