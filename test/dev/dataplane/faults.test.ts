// The test ingress's faults are spread evenly, so the rollout tests that rely on them see the same
// share of failing or slow requests on every run.
import { describe, expect, it } from "vitest";
import { evenShare } from "../../../dev/dataplane/faults.ts";

function yesesAt(share: number, calls: number): number[] {
    const says = evenShare();
    return Array.from({ length: calls }, (_, i) => i + 1).filter(() => says(share));
}

describe("evenShare", () => {
    it.each([
        [0.1, 30, [10, 20, 30]],
        [0.05, 40, [20, 40]],
        [0.25, 8, [4, 8]],
        [0, 50, []],
    ])("at %s says yes to calls %j of %i", (share, calls, expected) => {
        expect(yesesAt(share, calls)).toEqual(expected);
    });

    it("says yes to exactly a tenth of 1000 calls at 0.1", () => {
        expect(yesesAt(0.1, 1000)).toHaveLength(100);
    });

    it("carries on from its total when the share changes, without a burst", () => {
        const says = evenShare();
        const first = Array.from({ length: 15 }, () => says(0));
        const then = Array.from({ length: 20 }, () => says(0.1));
        expect(first.filter(Boolean)).toHaveLength(0);
        expect(then.map((yes, i) => (yes ? i + 1 : 0)).filter((n) => n > 0)).toEqual([10, 20]);
    });
});
