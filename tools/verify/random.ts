// A small seeded generator, so simulations and test servers are reproducible run to run.

/** mulberry32: 32 bits of state, uniform floats in [0, 1); fine for simulation, not for secrets. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Picks a name with probability proportional to its weight (weights need not sum to 1). */
export function weightedPicker(weights: ReadonlyArray<{ name: string; weight: number }>, random: () => number): () => string {
    const total = weights.reduce((s, w) => s + w.weight, 0);
    return () => {
        let u = random() * total;
        for (const w of weights) {
            u -= w.weight;
            if (u < 0) {
                return w.name;
            }
        }
        return weights[weights.length - 1]?.name ?? "";
    };
}
