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

/** How close the threshold is found, in log units. */
const TOLERANCE = 2e-3;
/** Probes by secant before plain halving takes over (it needs about 9 from a bracket of one unit). */
const MAX_SECANT_PASSES = 6;

/** The smallest threshold (in log units, to 2e-3) whose exact false-rejection probability is <= level. */
export function calibratedThreshold(input: CalibrationInput): number {
    const ville = Math.log(1 / input.level);
    if (input.firstLook <= 1) {
        // Looking from the first response leaves almost nothing to gain over Ville (only the overshoot).
        return ville;
    }
    // Rounded: 1 - (0.8 + 0.05) and 0.2 - 0.05 are one edge, and must not be calibrated twice.
    const round = (v: number) => Number(v.toPrecision(12));
    const alternatives = input.test.alternatives.map((a) => [round(a.q), round(a.weight)]);
    const key = JSON.stringify([round(input.test.b), alternatives, input.level, input.firstLook, input.horizon]);
    const known = cache.get(key);
    if (known !== undefined) {
        return known;
    }
    // How far the crossing probability at h lies above the level, in log units (> 0: h is too low).
    const excess = (h: number) => Math.log(Math.max(crossingProbability(input, h), Number.MIN_VALUE) / input.level);
    // The exact threshold is rarely more than one nat below Ville's; widen the bracket only if needed.
    let high = ville;
    let excessHigh = NaN; // Ville's threshold needs no check
    let low = Math.max(0, ville - 1);
    let excessLow = excess(low);
    while (low > 0 && excessLow <= 0) {
        [high, excessHigh] = [low, excessLow];
        low = Math.max(0, low - 1);
        excessLow = excess(low);
    }
    if (excessLow <= 0) {
        high = low;
    }
    // Each pass of the dynamic program costs the same, so the bracket is narrowed by the secant through the
    // last two probes rather than by halving (log P falls smoothly, by somewhat less than h rises); once the
    // guess is within a few tolerances of the last probe, a probe just either side of it usually closes the
    // bracket at once: about 5 passes instead of bisection's 10. Should the secant stall, halving takes over.
    let last = { h: low, e: excessLow };
    let previous: { h: number; e: number } | undefined = Number.isFinite(excessHigh) ? { h: high, e: excessHigh } : undefined;
    let passes = 0;
    while (high - low > TOLERANCE) {
        const halve = passes >= MAX_SECANT_PASSES;
        const slope = previous !== undefined && previous.e !== last.e ? (previous.h - last.h) / (last.e - previous.e) : 1.2;
        const guess = halve ? (low + high) / 2 : last.h + last.e * slope;
        const close = !halve && Math.abs(guess - last.h) < 4 * TOLERANCE;
        const probes = close ? [guess - 0.45 * TOLERANCE, guess + 0.45 * TOLERANCE] : [guess];
        for (const probe of probes) {
            const h = Math.min(high - TOLERANCE / 8, Math.max(low + TOLERANCE / 8, probe));
            if (high - low <= TOLERANCE) {
                break;
            }
            const e = excess(h);
            passes++;
            [previous, last] = [last, { h, e }];
            if (e <= 0) {
                high = h;
            } else {
                low = h;
            }
        }
    }
    cache.set(key, high);
    return high;
}
