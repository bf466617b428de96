// Exact thresholds for a mixture test, by dynamic programming over the binomial lattice.
// Ville's inequality (threshold 1/level) is valid but spends error probability on looks where the test
// could not usefully reject anyway. When a test only starts looking at observation `firstLook`, the exact
// probability of ever crossing under the null can be computed, and the threshold lowered until that
// probability equals the level. The result is never above Ville's threshold.
import type { UpperMixture } from "./mixture.ts";

export interface CalibrationInput {
    test: UpperMixture;
    /** The allowed probability of a false rejection over the whole run. */
    level: number;
    /** The first observation count at which the test may reject. */
    firstLook: number;
    /** The most observations a run can make (the request cap). */
    horizon: number;
}

/** Probability, when the event rate is exactly b, that log M reaches h at some n in [firstLook, horizon]. */
export function crossingProbability(input: CalibrationInput, h: number): number {
    const { test, firstLook, horizon } = input;
    const b = test.b;
    // dist[x] is the probability of x events so far on paths that have not crossed yet.
    let dist = new Float64Array(64);
    dist[0] = 1;
    let lo = 0;
    let hi = 0;
    let crossed = 0;
    let boundary = 0; // smallest x with log M(x, n) >= h; it grows by 0 or 1 per observation
    const floor = 1e-13;
    for (let n = 1; n <= horizon; n++) {
        if (hi + 2 > dist.length) {
            const grown = new Float64Array(dist.length * 2);
            grown.set(dist);
            dist = grown;
        }
        for (let x = hi + 1; x > lo; x--) {
            dist[x] = (dist[x] ?? 0) * (1 - b) + (dist[x - 1] ?? 0) * b;
        }
        dist[lo] = (dist[lo] ?? 0) * (1 - b);
        hi += 1;
        while (boundary <= n && test.logValue(boundary, n) < h) {
            boundary++;
        }
        if (n >= firstLook) {
            for (let x = Math.max(boundary, lo); x <= hi; x++) {
                crossed += dist[x] ?? 0;
                dist[x] = 0;
            }
            hi = Math.max(lo, Math.min(hi, boundary - 1));
        }
        // Paths too unlikely to matter are counted as crossings: it only makes the threshold safer.
        while (lo < hi && (dist[lo] ?? 0) < floor) {
            crossed += dist[lo] ?? 0;
            dist[lo] = 0;
            lo++;
        }
        if (n >= firstLook && n % 64 === 0) {
            // Ville from here on: a surviving path at x crosses later with probability <= M(x, n) / e^h.
            let tail = 0;
            for (let x = lo; x <= hi; x++) {
                tail += (dist[x] ?? 0) * Math.exp(test.logValue(x, n) - h);
            }
            if (tail < 1e-6 * input.level) {
                return crossed + tail;
            }
        }
    }
    return crossed;
}

const cache = new Map<string, number>();

/** The smallest threshold (in log units, to 2e-3) whose exact false-rejection probability is <= level. */
export function calibratedThreshold(input: CalibrationInput): number {
    const ville = Math.log(1 / input.level);
    if (input.firstLook <= 1) {
        // Looking from the first response leaves almost nothing to gain over Ville (only the overshoot).
        return ville;
    }
    const key = JSON.stringify([input.test.b, input.test.alternatives, input.level, input.firstLook, input.horizon]);
    const known = cache.get(key);
    if (known !== undefined) {
        return known;
    }
    // The exact threshold is rarely more than one nat below Ville's; widen the bracket only if needed.
    let high = ville;
    let low = Math.max(0, ville - 1);
    while (low > 0 && crossingProbability(input, low) <= input.level) {
        high = low;
        low = Math.max(0, low - 1);
    }
    while (high - low > 2e-3) {
        const mid = (low + high) / 2;
        if (crossingProbability(input, mid) <= input.level) {
            high = mid;
        } else {
            low = mid;
        }
    }
    cache.set(key, high);
    return high;
}
