// The exact thresholds: never above Ville's, exactly at the level, and in agreement with brute force.
import { describe, expect, it } from "vitest";
import { calibratedThreshold, crossingProbability } from "../../tools/verify/calibrate.ts";
import { MATCH_OFFSETS } from "../../tools/verify/design.ts";
import { UpperMixture } from "../../tools/verify/mixture.ts";
import { seededRandom } from "../../tools/verify/random.ts";

const near = (b: number, d: number) => new UpperMixture(b, MATCH_OFFSETS.map((o) => ({ q: b + o.distance * d, weight: o.weight })));

describe("calibrated thresholds", () => {
    it("Ville's threshold keeps the exact false-rejection probability under the level", () => {
        const test = near(0.75, 0.05);
        expect(crossingProbability({ test, level: 0.05, firstLook: 1, horizon: 5000 }, Math.log(20))).toBeLessThanOrEqual(0.05);
    });

    it("finds the lowest threshold at the level when looks start late, below Ville's", () => {
        const input = { test: near(0.75, 0.05), level: 0.05, firstLook: 347, horizon: 5000 };
        const h = calibratedThreshold(input);
        expect(h).toBeLessThan(Math.log(20) - 0.1);
        expect(crossingProbability(input, h)).toBeLessThanOrEqual(0.05);
        expect(crossingProbability(input, h - 0.02)).toBeGreaterThan(0.05);
    });

    it("agrees with a brute-force simulation of the null", () => {
        const test = near(0.6, 0.1);
        const input = { test, level: 0.05, firstLook: 40, horizon: 300 };
        const h = 1.5;
        const exact = crossingProbability(input, h);
        const random = seededRandom(7);
        const paths = 4000;
        let crossed = 0;
        for (let p = 0; p < paths; p++) {
            let x = 0;
            for (let n = 1; n <= input.horizon; n++) {
                x += random() < test.b ? 1 : 0;
                if (n >= input.firstLook && test.logValue(x, n) >= h) {
                    crossed++;
                    break;
                }
            }
        }
        const simulated = crossed / paths;
        const se = Math.sqrt((exact * (1 - exact)) / paths);
        expect(exact).toBeGreaterThan(0.05);
        expect(Math.abs(simulated - exact)).toBeLessThan(4 * se);
    });
});
