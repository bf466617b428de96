// The rollout's phases before the weights (rollout.mirror, rollout.abTest): the keys, and which phases
// a run has left, read from the stack's routing key as the stack file holds it (the phases' state).
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigError, describeProblem, parseReleaseConfig } from "../../config/index.ts";
import { UsageError } from "../../tools/command/errors.ts";
import { remainingPhases, type RolloutPair } from "../../tools/rollout/plan.ts";
import { devStackConfig } from "../support/dev-stack.ts";
import { exampleBlock } from "../support/docs.ts";

const PAIR: RolloutPair = { canary: "v2", stable: "v1" };
const PAUSE = 60_000;
const MIRROR = { percent: 50 };
const AB = { headers: { "x-canary": "always" }, cookie: { user: "tester" } };
const TESTERS = { version: "v2", headers: { "x-canary": "always" }, cookie: { user: "tester" } };
const OWN_MATCH = { version: "v1", headers: { "x-pin": "v1" } };

function problemLines(rollout: unknown): string[] {
    try {
        parseReleaseConfig({ ...devStackConfig(), rollout });
    } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems.map(describeProblem);
    }
    return [];
}

describe("rollout.mirror and rollout.abTest", () => {
    it("reads rollout.md's example: a mirror phase of every request for 2m, then testers with x-canary: always for 5m", () => {
        const raw = parse(exampleBlock("docs/rollout.md", "rollout-phases").join("\n")) as Record<string, unknown>;
        const config = parseReleaseConfig({ ...devStackConfig(), rollout: raw["helloworld-grayscale:rollout"] });
        expect(config.rollout.mirror).toEqual({ percent: 100, pause: 120_000 });
        expect(config.rollout.abTest).toEqual({ headers: { "x-canary": "always" }, pause: 300_000 });
    });

    it("leaves both out by default, and the mirror's share at 100 and each pause to rollout.pause when a phase is given", () => {
        expect(parseReleaseConfig(devStackConfig()).rollout).not.toHaveProperty("mirror");
        const rollout = parseReleaseConfig({ ...devStackConfig(), rollout: { mirror: {}, abTest: { cookie: { user: "tester" } } } }).rollout;
        expect([rollout.mirror, rollout.abTest]).toEqual([{ percent: 100 }, { cookie: { user: "tester" } }]);
    });

    it.each<[string, unknown, string[]]>([
        ["a mirror of nothing", { mirror: { percent: 0 } }, ["rollout.mirror.percent: must be a percentage above 0, up to 100 (got 0)"]],
        ["testers marked by nothing", { abTest: { pause: "1m" } }, ["rollout.abTest: must match at least one header or a cookie (got {\"pause\":\"1m\"})"]],
        ["a header name Istio does not match", { abTest: { headers: { "X-Canary": "always" } } },
            ["rollout.abTest.headers: 'X-Canary': header names must be lower-case tokens, such as x-canary (got {\"X-Canary\":\"always\"})"]],
        ["a phase's pause longer than the longest", { abTest: { headers: { "x-canary": "always" }, pause: "20m" } },
            ["rollout.abTest.pause: the longest pause (600 s) is shorter than the pause (1200 s); raise it (got \"20m\")"]],
        ["an unknown key", { mirror: { share: 10 } }, ["rollout.mirror: unknown key(s) 'share'; remove them or fix their spelling (known keys: percent, pause)"]],
    ])("refuses %s", (_label, rollout, lines) => {
        expect(problemLines(rollout)).toEqual(lines);
    });
});

describe("remainingPhases", () => {
    it("runs the mirror phase, then the A/B phase, each adding its route to the stack's own routing", () => {
        const plan = remainingPhases({ mesh: false, matches: [OWN_MATCH] }, { mirror: { ...MIRROR, pause: 5000 }, abTest: AB }, PAIR, PAUSE, false);
        expect(plan).toEqual({
            base: { mesh: false, matches: [OWN_MATCH] },
            phases: [
                { name: "mirror", routing: { mesh: false, matches: [OWN_MATCH], mirror: { version: "v2", percent: 50 } }, pauseMs: 5000 },
                // The testers' route after the stack's own: a route the stack already has keeps its precedence.
                { name: "abTest", routing: { mesh: false, matches: [OWN_MATCH, TESTERS] }, pauseMs: PAUSE, testerHeaders: { "x-canary": "always", cookie: "user=tester" } },
            ],
        });
    });

    it("starts from no routing key, and puts none back", () => {
        expect(remainingPhases(undefined, { abTest: { cookie: { user: "tester" } } }, PAIR, PAUSE, false)).toEqual({
            base: undefined,
            phases: [{ name: "abTest", routing: { matches: [{ version: "v2", cookie: { user: "tester" } }] }, pauseMs: PAUSE, testerHeaders: { cookie: "user=tester" } }],
        });
    });

    it.each<[string, unknown, { base: unknown; phases: string[] }]>([
        ["stopped in the mirror phase: the mirror phase again, then A/B", { mesh: false, mirror: { percent: 50, version: "v2" } }, { base: { mesh: false }, phases: ["mirror", "abTest"] }],
        // Keys in the stack file's own order, not the rollout's.
        ["stopped in the A/B phase: the A/B phase again", { matches: [OWN_MATCH, { cookie: { user: "tester" }, headers: { "x-canary": "always" }, version: "v2" }] },
            { base: { matches: [OWN_MATCH] }, phases: ["abTest"] }],
        ["stopped in the A/B phase of a stack with no routing of its own", { matches: [TESTERS] }, { base: undefined, phases: ["abTest"] }],
    ])("%s", (_label, routing, expected) => {
        const plan = remainingPhases(routing, { mirror: MIRROR, abTest: AB }, PAIR, PAUSE, false);
        expect({ base: plan.base, phases: plan.phases.map((p) => p.name) }).toEqual(expected);
    });

    it("runs none once the canary has weight: the phases come before the weighted steps", () => {
        expect(remainingPhases({ matches: [OWN_MATCH] }, { mirror: MIRROR, abTest: AB }, PAIR, PAUSE, true)).toEqual({ base: { matches: [OWN_MATCH] }, phases: [] });
    });

    it.each<[string, unknown, boolean, string]>([
        ["a routing.mirror of the stack's own", { mirror: { version: "v2", percent: 10 } }, false,
            "routing.mirror is set ({\"version\":\"v2\",\"percent\":10}) and rollout.mirror asks for a mirror phase, which sets routing.mirror itself: remove one of them"],
        ["a phase's route while the canary has weight", { matches: [TESTERS] }, true,
            "routing holds the A/B phase's testers' route while v2 already has weight, which a rollout never leaves (its phases come before the weighted steps): remove it from routing, then rerun"],
        ["both phases' routes at once", { matches: [TESTERS], mirror: { version: "v2", percent: 50 } }, false,
            "routing holds both the mirror phase's mirror and the A/B phase's testers' route, which a rollout never leaves: remove routing.mirror to resume the A/B phase"],
    ])("refuses %s", (_label, routing, canaryHasWeight, message) => {
        expect(() => remainingPhases(routing, { mirror: MIRROR, abTest: AB }, PAIR, PAUSE, canaryHasWeight)).toThrow(new UsageError(message));
    });
});
