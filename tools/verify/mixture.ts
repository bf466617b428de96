// The test statistic every decision uses: a mixture of Bernoulli likelihood ratios, computed from
// counts alone (x events in n observations), so it costs the same at every look and needs no history.

/** One alternative share q and its prior weight in the mixture. */
export interface Alternative {
    q: number;
    weight: number;
}

/**
 * "The event rate is above b": log of sum_j weight_j * (q_j/b)^x * ((1-q_j)/(1-b))^(n-x), with every
 * q_j > b. Under any rate p <= b it is a nonnegative supermartingale with mean <= 1 (monotone
 * likelihood ratio), which is what lets it be watched after every response.
 */
export class UpperMixture {
    readonly b: number;
    readonly alternatives: readonly Alternative[];
    private readonly logWeight: number[];
    private readonly logUp: number[];
    private readonly logDown: number[];

    constructor(b: number, alternatives: readonly Alternative[]) {
        if (!(b > 0 && b < 1)) {
            throw new RangeError(`the null rate must lie strictly between 0 and 1, got ${b}`);
        }
        const merged = mergeAlternatives(alternatives.filter((a) => a.q > b && a.weight > 0));
        if (merged.length === 0) {
            throw new RangeError(`no alternative above ${b}`);
        }
        this.b = b;
        this.alternatives = merged;
        this.logWeight = merged.map((a) => Math.log(a.weight));
        this.logUp = merged.map((a) => Math.log(a.q / b));
        this.logDown = merged.map((a) => Math.log((1 - a.q) / (1 - b)));
    }

    /** log M after x events in n observations. */
    logValue(x: number, n: number): number {
        // Two passes instead of an array of terms: this runs millions of times during calibration.
        let max = -Infinity;
        for (let j = 0; j < this.logWeight.length; j++) {
            max = Math.max(max, this.componentLog(j, x, n));
        }
        if (max === -Infinity) {
            return max;
        }
        let sum = 0;
        for (let j = 0; j < this.logWeight.length; j++) {
            sum += Math.exp(this.componentLog(j, x, n) - max);
        }
        return max + Math.log(sum);
    }

    /** log(weight_j * LR_j): a component alone, for estimating how far a test is from deciding. */
    componentLog(j: number, x: number, n: number): number {
        // 0 * log(0) must count as 0: q = 1 only dies once a non-event is seen.
        const up = x === 0 ? 0 : x * (this.logUp[j] ?? 0);
        const down = n - x === 0 ? 0 : (n - x) * (this.logDown[j] ?? 0);
        return (this.logWeight[j] ?? -Infinity) + up + down;
    }

    /** Expected growth of log LR_j per observation if the true rate is p (negative: it shrinks). */
    drift(j: number, p: number): number {
        const up = p === 0 ? 0 : p * (this.logUp[j] ?? 0);
        const down = p === 1 ? 0 : (1 - p) * (this.logDown[j] ?? 0);
        return up + down;
    }
}

function mergeAlternatives(alternatives: readonly Alternative[]): Alternative[] {
    const byQ = new Map<number, number>();
    for (const a of alternatives) {
        byQ.set(a.q, (byQ.get(a.q) ?? 0) + a.weight);
    }
    const total = [...byQ.values()].reduce((s, w) => s + w, 0);
    return [...byQ].sort(([a], [b]) => a - b).map(([q, w]) => ({ q, weight: w / total }));
}
