// The fixed, one-shot equivalence test (TOST) that the sequential decision is measured against, and the
// normal quantile both need.

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
    if (!(p > 0 && p < 1)) {
        throw new RangeError(`quantile needs 0 < p < 1, got ${p}`);
    }
    const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
    const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
    const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
    const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    const poly = (k: number[], x: number) => k.reduce((acc, v) => acc * x + v, 0);
    if (p < 0.02425) {
        const q = Math.sqrt(-2 * Math.log(p));
        return poly(c, q) / (poly(d, q) * q + 1);
    }
    if (p > 1 - 0.02425) {
        return -normalQuantile(1 - p);
    }
    const q = p - 0.5;
    const r = q * q;
    return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

export interface FixedSampleInput {
    /** The expected share of the version, 0..1. */
    share: number;
    /** The tolerance, as a share (0.05 for 5 percentage points). */
    tolerance: number;
    confidence: number;
    power: number;
}

/**
 * n = (z_{1-a} + z_{1-b/2})^2 * w(1-w) / d^2: the sample a one-shot TOST needs to show equivalence with
 * probability `power` when the true share is exactly w (Chow, Shao & Wang, Sample Size Calculations in
 * Clinical Research, one-sample equivalence with zero true difference).
 */
export function fixedSampleSize(input: FixedSampleInput): number {
    const z = normalQuantile(input.confidence) + normalQuantile(1 - (1 - input.power) / 2);
    return Math.ceil((z * z * input.share * (1 - input.share)) / (input.tolerance * input.tolerance));
}
