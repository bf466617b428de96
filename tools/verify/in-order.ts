// Hands values on in index order however they arrive, and stops for good once the consumer says so.
// The sampler uses it so that the decision sees responses in the order the requests were sent.

export class InOrder<T> {
    /** Values handed on so far (indices 0 .. delivered-1). */
    delivered = 0;
    /** Values that arrived after the stop, or were waiting behind a gap at the stop. */
    discarded = 0;
    stopped = false;
    private readonly waiting = new Map<number, T>();
    private readonly consume: (value: T) => boolean;

    /** `consume` returns true to stop: nothing is handed on after that. */
    constructor(consume: (value: T) => boolean) {
        this.consume = consume;
    }

    put(index: number, value: T): void {
        if (this.stopped) {
            this.discarded++;
            return;
        }
        this.waiting.set(index, value);
        for (let next = this.waiting.get(this.delivered); next !== undefined; next = this.waiting.get(this.delivered)) {
            this.waiting.delete(this.delivered);
            this.delivered++;
            if (this.consume(next)) {
                this.stop();
                return;
            }
        }
    }

    stop(): void {
        if (!this.stopped) {
            this.stopped = true;
            this.discarded += this.waiting.size;
            this.waiting.clear();
        }
    }
}
