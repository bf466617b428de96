// The rollout's flags: bad values are one clear line (exit 64), before anything changes.
import { describe, expect, it } from "vitest";
import { parseRolloutArgs } from "../../tools/rollout/args.ts";
import { RolloutUsageError } from "../../tools/rollout/plan.ts";

const base = ["--stack", "prod", "--to", "v2", "--url", "http://ingress/hello"];

describe("parseRolloutArgs", () => {
    it("leaves every plan setting to the stack unless a flag gives it", () => {
        expect(parseRolloutArgs(base)).toEqual({ stack: "prod", to: "v2", url: "http://ingress/hello", verifyFlags: [], retire: false, json: false });
    });

    it("reads the overrides", () => {
        expect(parseRolloutArgs([...base, "--steps", "5, 50,100", "--pause", "30s", "--settle", "2s", "--prometheus", "http://prom:9090", "--metrics", "envoy",
            "--min-success-rate", "99.5", "--max-p99", "1s", "--min-requests", "50", "--max-pause", "2m", "--host", "hello.example",
            "--tolerance", "3", "--max-requests", "5000", "--retire", "--json"])).toEqual({
            stack: "prod", to: "v2", url: "http://ingress/hello", host: "hello.example", steps: [5, 50, 100], pauseMs: 30_000, settleMs: 2000,
            prometheus: new URL("http://prom:9090"), metrics: "envoy", minSuccessRate: 99.5, maxP99Ms: 1000, minRequests: 50, maxPauseMs: 120_000,
            verifyFlags: ["--tolerance", "3", "--max-requests", "5000"], retire: true, json: true,
        });
    });

    it.each([
        [["--to", "v2", "--url", "http://i/hello"], "--stack is required; see --help"],
        [[...base, "--steps", "10,50"], "--steps '10,50' must end at 100: a rollout ends with the canary taking all traffic"],
        [[...base, "--steps", "50,25,100"], "--steps '50,25,100' must rise from step to step, e.g. [10, 25, 50, 100]"],
        [[...base, "--steps", "10,x,100"], "--steps '10,x,100' must be a whole number from 1 to 100"],
        [[...base, "--steps", "0,100"], "--steps '0,100' must be a whole number from 1 to 100"],
        [[...base, "--pause", "5"], "--pause '5' is not a duration; use e.g. 30s, 5m or 500ms"],
        [[...base, "--min-success-rate", "101"], "--min-success-rate '101' is invalid: use a percentage from 0 to 100, e.g. 99"],
        [[...base, "--prometheus", "prom:9090"], "--prometheus 'prom:9090' must be http:// or https://"],
        [[...base, "--colour"], "Unknown option '--colour'"],
        [[...base, "--prometheus", "http://prom:9090", "--metrics", "statsd"], "--metrics 'statsd' is invalid: use istio, envoy, auto"],
        [[...base, "--metrics", "envoy"], "--metrics chooses what to read from Prometheus: give --prometheus too"],
    ])("refuses %j", (argv, message) => {
        expect(() => parseRolloutArgs(argv)).toThrow(new RolloutUsageError(message));
    });
});
