// Which version is the canary and which the stable one, and which steps are left: from the stack's
// weights alone, so that a rerun resumes where the last one stopped.
import { describe, expect, it } from "vitest";
import { parseReleaseConfig } from "../../config/index.ts";
import { UsageError } from "../../tools/command/errors.ts";
import { choosePair, pauseLimitProblem, remainingSteps, weightsAt } from "../../tools/rollout/plan.ts";
import { devStackConfig } from "../support/dev-stack.ts";

function stack(weights: Record<string, number>, change: (raw: Record<string, any>) => void = () => {}) {
    const raw = { ...devStackConfig(), weights };
    change(raw);
    return parseReleaseConfig(raw);
}

const withV3 = (raw: Record<string, any>) => {
    raw.versions = { ...raw.versions, v3: { clusters: ["mdemo-cluster1"], image: "example/helloworld-v3:1.0" } };
};

describe("choosePair", () => {
    it.each([
        ["a fresh rollout", { v1: 100, v2: 0 }, "v2", { canary: "v2", stable: "v1" }],
        ["a rollout under way", { v1: 75, v2: 25 }, "v2", { canary: "v2", stable: "v1" }],
        ["a finished rollout (the idle version is the stable one)", { v1: 0, v2: 100 }, "v2", { canary: "v2", stable: "v1" }],
        ["back the other way", { v1: 0, v2: 100 }, "v1", { canary: "v1", stable: "v2" }],
    ])("%s", (_label, weights, to, pair) => {
        expect(choosePair(stack(weights), to)).toEqual(pair);
    });

    it("takes the one other version with traffic, even when a third one is deployed idle", () => {
        expect(choosePair(stack({ v1: 90, v2: 10, v3: 0 }, withV3), "v2")).toEqual({ canary: "v2", stable: "v1" });
    });

    it.each([
        ["an unknown version", { v1: 100, v2: 0 }, "v9", () => {}, "--to v9: not a version of this stack; use one of v1, v2"],
        ["a retired canary", { v1: 100, v2: 0 }, "v2", (raw: Record<string, any>) => { raw.versions.v2.retired = true; },
            "--to v2: the version is retired; set versions.v2.retired to false (and deploy it) first"],
        ["a third version with traffic", { v1: 80, v2: 10, v3: 10 }, "v2", withV3,
            "--to v2: v1 (80) and v3 (10) all have traffic; a rollout moves traffic between two versions: move the others' weight to one of them first"],
        ["two idle versions to choose from", { v1: 0, v2: 100, v3: 0 }, "v2", withV3,
            "--to v2: v2 has all the traffic and v1, v3 are deployed; retire all but one of them first"],
        ["no other version", { v2: 100 }, "v2", (raw: Record<string, any>) => { raw.versions.v1.retired = true; }, "--to v2: no other deployed version to take traffic from"],
    ])("refuses %s", (_label, weights, to, change, message) => {
        expect(() => choosePair(stack(weights, change), to)).toThrow(new UsageError(message));
    });
});

describe("remainingSteps", () => {
    const steps = [10, 25, 50, 100];
    it.each([
        ["from no traffic: every step, back to 0 on failure", 0, { steps: [10, 25, 50, 100], fallback: 0 }],
        ["from a weight between steps: the steps above it, back to it", 20, { steps: [25, 50, 100], fallback: 20 }],
        ["stopped at step 2: step 2 again (it never passed), back to step 1", 25, { steps: [25, 50, 100], fallback: 10 }],
        ["stopped at step 1: step 1 again, back to 0", 10, { steps: [10, 25, 50, 100], fallback: 0 }],
        ["at 100: the last step, checked again", 100, { steps: [100], fallback: 50 }],
    ])("%s", (_label, weight, plan) => {
        expect(remainingSteps(steps, weight)).toEqual(plan);
    });
});

describe("weightsAt", () => {
    it("gives the canary its step and the stable version the rest", () => {
        expect(weightsAt({ canary: "v2", stable: "v1" }, 25)).toEqual({ v1: 75, v2: 25 });
    });
});

describe("pauseLimitProblem", () => {
    const raise = "to which a step's pause may be extended: raise the longest pause with --max-pause 1h (or rollout.analysis.maxPause in Pulumi.prod.yaml), or give a shorter --pause";
    it.each<[string, Parameters<typeof pauseLimitProblem>[0], Parameters<typeof pauseLimitProblem>[1], string | undefined]>([
        ["a pause within the longest", { ms: 60_000, from: "flag" }, { ms: 600_000, from: "default" }, undefined],
        ["a pause equal to the longest", { ms: 600_000, from: "flag" }, { ms: 600_000, from: "stack" }, undefined],
        ["--pause over the default longest, which no flag gave", { ms: 3_600_000, from: "flag" }, { ms: 600_000, from: "default" },
            `--pause 1h is longer than the longest pause, 10m (the default of rollout.analysis.maxPause), ${raise}`],
        ["--pause over the stack's longest", { ms: 3_600_000, from: "flag" }, { ms: 1_200_000, from: "stack" },
            `--pause 1h is longer than the longest pause, 20m (the stack's rollout.analysis.maxPause), ${raise}`],
        ["the stack's pause over --max-pause", { ms: 3_600_000, from: "stack" }, { ms: 60_000, from: "flag" },
            `the pause, 1h (the stack's rollout.pause), is longer than --max-pause 1m ${raise}`],
    ])("%s", (_label, pause, maxPause, problem) => {
        expect(pauseLimitProblem(pause, maxPause, "prod")).toBe(problem);
    });
});
