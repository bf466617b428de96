// The rollout's flags: bad values are one clear line (exit 64), before anything changes.
import { describe, expect, it } from "vitest";
import { UsageError } from "../../tools/command/errors.ts";
import { parseCommandLine } from "../../tools/command/run-command.ts";
import { rolloutCommand } from "../../tools/rollout/main.ts";

const base = ["--stack", "prod", "--to", "v2", "--url", "http://ingress/hello"];
const parse = (argv: string[]) => parseCommandLine(rolloutCommand, argv);

describe("the rollout's options", () => {
    it("leaves every plan setting to the stack, and every test setting to verify, unless a flag gives it", () => {
        expect(parse(base)).toEqual({ stack: "prod", to: "v2", url: new URL("http://ingress/hello"), verify: {}, retire: false, json: false });
    });

    it("reads the overrides", () => {
        expect(parse([...base, "--steps", "5, 50,100", "--pause", "30s", "--settle", "2", "--prometheus", "http://prom:9090", "--metrics", "envoy",
            "--min-success-rate", "99.5", "--max-p99", "1s", "--min-requests", "50", "--max-pause", "2m", "--host", "hello.example",
            "--tolerance", "3", "--max-requests", "5000", "--retire", "--json"])).toEqual({
            stack: "prod", to: "v2", steps: [5, 50, 100], pauseMs: 30_000, settleMs: 2000,
            url: new URL("http://ingress/hello"), verify: { host: "hello.example", tolerance: 0.03, maxRequests: 5000 },
            prometheus: new URL("http://prom:9090"), metrics: "envoy", minSuccessRate: 99.5, maxP99Ms: 1000, minRequests: 50, maxPauseMs: 120_000,
            retire: true, json: true,
        });
    });

    it("reads each cluster's gateway for a rollout wave by wave, instead of --url", () => {
        expect(parse(["--stack", "prod", "--to", "v2", "--cluster-url", "mdemo-cluster1=http://gw1/hello", "--cluster-url", "eu:west/1=https://gw2:8443/hello"])).toEqual({
            stack: "prod", to: "v2", verify: {}, clusterUrls: { "mdemo-cluster1": new URL("http://gw1/hello"), "eu:west/1": new URL("https://gw2:8443/hello") }, retire: false, json: false,
        });
    });

    it.each([
        [["--to", "v2", "--url", "http://i/hello"], "--stack is required"],
        [["--stack", "prod", "--to", "v2"], "--url is required (with rollout.waves, --cluster-url <cluster>=<url> for each cluster instead)"],
        [[...base, "--cluster-url", "c1=http://gw1/hello"], "--url and --cluster-url exclude each other: --url for a rollout of every cluster at once, --cluster-url with rollout.waves"],
        [["--stack", "prod", "--to", "v2", "--cluster-url", "http://gw1/hello"], "--cluster-url 'http://gw1/hello' is invalid: use <cluster>=<url>, e.g. --cluster-url mdemo-cluster1=http://<its ingress>/hello"],
        [["--stack", "prod", "--to", "v2", "--cluster-url", "c1="], "--cluster-url 'c1=' is invalid: use <cluster>=<url>, e.g. --cluster-url mdemo-cluster1=http://<its ingress>/hello"],
        [["--stack", "prod", "--to", "v2", "--cluster-url", "c1=gw1/hello"], "--cluster-url c1 'gw1/hello' is not a URL; use e.g. http://<its ingress>/hello"],
        [["--stack", "prod", "--to", "v2", "--cluster-url", "c1=http://a/hello", "--cluster-url", "c1=http://b/hello"], "--cluster-url: c1 is given twice; give each cluster's gateway once"],
        [[...base, "--steps", "10,50"], "--steps '10,50' must end at 100: a rollout ends with the canary taking all traffic"],
        [[...base, "--steps", "50,25,100"], "--steps '50,25,100': step 2, 25, must be above step 1, 50: the canary's weight rises from step to step"],
        [[...base, "--steps", "10,x,100"], "--steps '10,x,100': step 2, 'x', must be a whole number from 1 to 100"],
        [[...base, "--steps", "0,100"], "--steps '0,100': step 1, '0', must be a whole number from 1 to 100"],
        [[...base, "--steps", "10,,100"], "--steps '10,,100': step 2, '', must be a whole number from 1 to 100"],
        [[...base, "--pause", "soon"], "--pause 'soon' is invalid: use a duration such as 30s, 5m or 1h"],
        [[...base, "--pause", "-5s"], "--pause '-5s' is invalid: use a duration such as 30s, 5m or 1h"],
        [[...base, "--max-p99", "-1"], "--max-p99 '-1' is invalid: use a duration such as 30s, 5m or 1h"],
        [[...base, "--min-success-rate", "101"], "--min-success-rate '101' is invalid: use a percentage from 0 to 100, e.g. 99"],
        [[...base, "--tolerance", "80"], "--tolerance '80' is invalid: use a number of percentage points above 0 and below 50"],
        [["--stack", "prod", "--to", "v2", "--url", "ingress/hello"], "--url 'ingress/hello' is not a URL; use e.g. http://<ingress>/hello"],
        [[...base, "--prometheus", "prom:9090"], "--prometheus 'prom:9090' must be http:// or https://"],
        [[...base, "--colour"], "Unknown option '--colour'"],
        [[...base, "--pause", "--json"], "--pause needs a value, and --json after it is a flag"],
        [[...base, "--prometheus", "http://prom:9090", "--metrics", "statsd"], "--metrics 'statsd' is invalid: use istio, envoy, auto"],
        [[...base, "--metrics", "envoy"], "--metrics chooses what to read from Prometheus: give --prometheus too"],
    ])("refuses %j", (argv, message) => {
        expect(() => parse(argv)).toThrow(new UsageError(message));
    });

    it("reads a bare number as seconds, as every duration flag and the stack's durations do", () => {
        expect(parse([...base, "--pause", "10", "--max-pause", "1.5"])).toMatchObject({ pauseMs: 10_000, maxPauseMs: 1500 });
    });
});
