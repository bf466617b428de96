// The rollout's plan in stack config (`rollout: { steps, pause, analysis }`): defaults, and every
// problem with its key path.
import { describe, expect, it } from "vitest";
import { ConfigError, parseReleaseConfig } from "../config/index.ts";
import { parseDurationMs, rolloutSchema } from "../config/rollout.ts";
import { devStackConfig } from "./support/dev-stack.ts";

describe("rollout config", () => {
    it("defaults to 10, 25, 50, 100 with a 1 m pause and Flagger-like thresholds", () => {
        expect(rolloutSchema.parse(undefined)).toEqual({
            steps: [10, 25, 50, 100],
            pause: 60_000,
            analysis: { settle: 5000, minSuccessRate: 99, maxP99: 500, minRequests: 100, maxPause: 600_000, metrics: "auto" },
        });
    });

    it("reads durations and keeps the defaults of what is left out", () => {
        expect(rolloutSchema.parse({ steps: [5, 100], pause: "30s", analysis: { maxP99: "1.5s" } })).toEqual({
            steps: [5, 100],
            pause: 30_000,
            analysis: { settle: 5000, minSuccessRate: 99, maxP99: 1500, minRequests: 100, maxPause: 600_000, metrics: "auto" },
        });
    });

    it("takes the metrics source from the stack, and refuses one it does not know", () => {
        expect(rolloutSchema.parse({ analysis: { metrics: "envoy" } }).analysis.metrics).toBe("envoy");
        const result = rolloutSchema.safeParse({ analysis: { metrics: "statsd" } });
        expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
            ["analysis.metrics", "must be one of istio, envoy, auto"],
        ]);
    });

    it("lists every problem with its path", () => {
        const result = rolloutSchema.safeParse({ steps: [50, 25], pause: "soon", analysis: { minSuccessRate: 120, extra: 1 } });
        expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
            ["steps", "must rise from step to step, e.g. [10, 25, 50, 100]"],
            ["steps", "must end at 100: a rollout ends with the canary taking all traffic"],
            ["pause", "must be a duration such as 1m (a number and a unit, ms, s, m or h; a bare number is seconds)"],
            ["analysis.minSuccessRate", "must be a percentage from 0 to 100"],
            ["analysis", 'Unrecognized key: "extra"'],
        ]);
    });

    it.each([["500ms", 500], ["2s", 2000], ["1.5m", 90_000], ["1h", 3_600_000], ["0s", 0], ["5", 5000], ["-1s", undefined]])("duration %s", (text, ms) => {
        expect(parseDurationMs(text)).toBe(ms);
    });

    it("reads a bare number as seconds, as the flags do, whether the stack file writes it as a number or as text", () => {
        expect(rolloutSchema.parse({ pause: 30, analysis: { settle: "2", maxP99: 0.5 } })).toMatchObject({ pause: 30_000, analysis: { settle: 2000, maxP99: 500 } });
    });

    it("is a key of the stack config, validated with the others, its problems under rollout.*", () => {
        expect(parseReleaseConfig(devStackConfig()).rollout.steps).toEqual([10, 25, 50, 100]);
        expect(parseReleaseConfig({ ...devStackConfig(), rollout: { steps: [20, 100], pause: "30s" } }).rollout).toMatchObject({ steps: [20, 100], pause: 30_000 });
        const parse = () => parseReleaseConfig({ ...devStackConfig(), rollout: { steps: [10, 50], pause: "5m", analysis: { maxPause: "1m" } } });
        expect(parse).toThrow(ConfigError);
        expect(parse).toThrow([
            "Invalid stack config for helloworld-grayscale (2 problems):",
            "  - rollout.steps: must end at 100: a rollout ends with the canary taking all traffic (got [10,50])",
            "  - rollout.analysis.maxPause: the longest pause (60 s) is shorter than the pause (300 s); raise it (got \"1m\")",
        ].join("\n"));
    });
});
