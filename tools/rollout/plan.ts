// Which version is the canary, which the stable one, and which steps are left: pure functions of the
// stack's config (the weights in the stack file are the rollout's state) and the plan.
import type { ReleaseConfig } from "../../config/index.ts";
import { deployedVersions } from "../../manifests/labels.ts";
import { formatDuration } from "../command/duration.ts";
import { UsageError } from "../command/errors.ts";

/** The version taking traffic over and the version giving it up. */
export interface RolloutPair {
    canary: string;
    stable: string;
}

/** Version name to weight, as in the stack's `weights`. */
export type Weights = Record<string, number>;

/**
 * The canary is `to`; the stable version is the one other version with traffic (or, once the canary
 * has it all, the one other deployed version). Anything else is ambiguous, and refused.
 */
export function choosePair(config: Pick<ReleaseConfig, "versions">, to: string): RolloutPair {
    const canary = config.versions.find((v) => v.name === to);
    if (canary === undefined) {
        throw new UsageError(`--to ${to}: not a version of this stack; use one of ${config.versions.map((v) => v.name).join(", ")}`);
    }
    if (canary.retired) {
        throw new UsageError(`--to ${to}: the version is retired; set versions.${to}.retired to false (and deploy it) first`);
    }
    const withTraffic = config.versions.filter((v) => v.name !== to && v.weight > 0);
    if (withTraffic.length > 1) {
        throw new UsageError(`--to ${to}: ${withTraffic.map((v) => `${v.name} (${v.weight})`).join(" and ")} all have traffic; ` +
            "a rollout moves traffic between two versions: move the others' weight to one of them first");
    }
    const others = withTraffic.length === 1 ? withTraffic : deployedVersions(config).filter((v) => v.name !== to);
    if (others.length !== 1 || others[0] === undefined) {
        throw new UsageError(others.length === 0
            ? `--to ${to}: no other deployed version to take traffic from`
            : `--to ${to}: ${to} has all the traffic and ${others.map((v) => v.name).join(", ")} are deployed; retire all but one of them first`);
    }
    return { canary: to, stable: others[0].name };
}

/** The pair's weights with the canary at `canaryWeight` (every other version has none: see choosePair). */
export function weightsAt(pair: RolloutPair, canaryWeight: number): Weights {
    return { [pair.stable]: 100 - canaryWeight, [pair.canary]: canaryWeight };
}

/** Where a rollout starts from, given the canary's current weight. */
export interface StepPlan {
    /**
     * The canary weights still to apply and analyse, in order. When the current weight is one of the
     * steps, it comes first: a rollout stopped during that step never saw it pass, so it is applied
     * again (nothing changes when it was applied whole) and analysed.
     */
    steps: number[];
    /** Where a failure of the first step rolls back to: the step before it, or the starting weight. */
    fallback: number;
}

export function remainingSteps(steps: readonly number[], canaryWeight: number): StepPlan {
    const at = steps.indexOf(canaryWeight);
    if (at >= 0) {
        return { steps: steps.slice(at), fallback: at === 0 ? 0 : (steps[at - 1] as number) };
    }
    return { steps: steps.filter((w) => w > canaryWeight), fallback: canaryWeight };
}

/** "v1 90 / v2 10": the pair's weights, stable first. */
export function describeWeights(weights: Weights, pair: RolloutPair): string {
    return `${pair.stable} ${weights[pair.stable] ?? 0} / ${pair.canary} ${weights[pair.canary] ?? 0}`;
}

/** A plan setting's value and where it came from: a flag, the stack file, or the key's default. */
export interface PlanSetting {
    ms: number;
    from: "flag" | "stack" | "default";
}

/**
 * A step's pause may be extended up to the longest pause (rollout.analysis.maxPause), so it cannot be
 * longer. The problem names where each came from, as the user set them or not, and how to raise the
 * longest; undefined when they fit.
 */
export function pauseLimitProblem(pause: PlanSetting, maxPause: PlanSetting, stack: string): string | undefined {
    if (maxPause.ms >= pause.ms) {
        return undefined;
    }
    const fmt = formatDuration;
    const pauseText = pause.from === "flag" ? `--pause ${fmt(pause.ms)}`
        : `the pause, ${fmt(pause.ms)} (${pause.from === "stack" ? "the stack's rollout.pause" : "the default of rollout.pause"}),`;
    const maxText = maxPause.from === "flag" ? `--max-pause ${fmt(maxPause.ms)}`
        : `the longest pause, ${fmt(maxPause.ms)} (${maxPause.from === "stack" ? "the stack's rollout.analysis.maxPause" : "the default of rollout.analysis.maxPause"}),`;
    return `${pauseText} is longer than ${maxText} to which a step's pause may be extended: raise the longest pause with ` +
        `--max-pause ${fmt(pause.ms)} (or rollout.analysis.maxPause in Pulumi.${stack}.yaml), or give a shorter --pause`;
}
