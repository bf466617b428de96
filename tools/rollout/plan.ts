// Which version is the canary, which the stable one, and which steps are left: pure functions of the
// stack's config (the weights in the stack file are the rollout's state) and the plan.
import type { ReleaseConfig } from "../../config/index.ts";
import { deployedVersions } from "../../manifests/labels.ts";
import { meshVirtualServiceName } from "../../manifests/virtual-service.ts";
import { canonicalJson } from "../../policy/lib/values.ts";
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

/** One wave still to move: its clusters (config targets) and where its steps start. */
export interface WaveStart {
    /** The wave's position in `rollout.waves`, from 0. */
    index: number;
    clusters: readonly string[];
    plan: StepPlan;
}

/** A wave-by-wave rollout's state, read from each cluster's weights. */
export interface WavesPlan {
    /** The canary's weight in the global `weights`, which the waves leave alone: where a failure returns every moved wave. */
    start: number;
    /** The waves already at 100, which a failure also rolls back. */
    done: number[];
    /** The waves still to move, in order; the first may be under way. */
    remaining: WaveStart[];
}

/**
 * Where a wave-by-wave rollout resumes, from the clusters' own weights (a cluster without them follows
 * the global `weights`, the start). The waves before the one under way are at 100 and those after it
 * at the start; the wave under way is the last one that moved, and its steps resume as remainingSteps
 * says (at 100 with no later wave moved, its last step is judged again). Any other shape was not left
 * by a rollout, and is refused with what to do.
 */
export function remainingWaves(
    config: Pick<ReleaseConfig, "versions" | "clusters">,
    pair: RolloutPair,
    waves: readonly (readonly string[])[],
    steps: readonly number[],
): WavesPlan {
    const start = config.versions.find((v) => v.name === pair.canary)?.weight ?? 0;
    const weightOf = (cluster: string) => config.clusters.find((c) => c.name === cluster)?.weights?.[pair.canary] ?? start;
    const waveWeights = waves.map((wave, index) => {
        const weights = [...new Set(wave.map(weightOf))];
        if (weights.length > 1) {
            throw new UsageError(`rollout.waves[${index}]: its clusters' weights differ (${wave.map((c) => `${c} ${pair.canary} ${weightOf(c)}`).join(", ")}); ` +
                "a wave moves together: give them the same clusters.<cluster>.weights, or remove those keys to start the wave again");
        }
        return weights[0] as number;
    });
    const moved = waveWeights.map((w) => w !== start);
    const current = moved.lastIndexOf(true);
    const firstLeft = current < 0 ? 0 : current;
    const stray = waveWeights.findIndex((w, i) => (i < firstLeft && w !== 100) || (i > firstLeft && w !== start));
    if (stray >= 0) {
        throw new UsageError(`rollout.waves[${stray}]: at ${pair.canary} ${waveWeights[stray]}, which a rollout wave by wave never leaves ` +
            `(waves before the one under way at 100, those after it at the start, ${start}); set its clusters' weights by hand, or remove them to start again`);
    }
    return {
        start,
        done: waves.map((_, i) => i).filter((i) => i < firstLeft),
        remaining: waves.slice(firstLeft).map((clusters, i) => {
            const index = firstLeft + i;
            // A wave not moved yet takes the steps above the start (the start itself is where it stands).
            const left = moved[index] === true ? remainingSteps(steps, waveWeights[index] as number).steps : steps.filter((w) => w > start);
            // A wave rolls back to the start, wherever its steps began: every wave moved goes back with it.
            return { index, clusters, plan: { steps: left, fallback: start } };
        }),
    };
}

/**
 * The `clusters.<c>.weights` a wave's step sets: the pair's weights on each of the wave's clusters. A
 * cluster's own split must weigh every deployed version, as `weights` does, so the other versions come
 * from `base` (the global weights: 0 for all but the pair, as choosePair makes sure).
 */
export function waveWeights(pair: RolloutPair, clusters: readonly string[], canaryWeight: number, base: Weights = {}): Record<string, Weights> {
    return Object.fromEntries(clusters.map((cluster) => [cluster, { ...base, ...weightsAt(pair, canaryWeight) }]));
}

/** The global weights, version by version, as the stack file has them. */
export function globalWeights(config: Pick<ReleaseConfig, "versions">): Weights {
    return Object.fromEntries(config.versions.map((v) => [v.name, v.weight]));
}

/** "wave 2 (mdemo-cluster2)": a wave as the output names it, counted from 1. */
export function describeWave(index: number, clusters: readonly string[]): string {
    return `wave ${index + 1} (${clusters.join(", ")})`;
}

/**
 * The Pulumi names of the VirtualServices a wave's step may change: each of the wave's clusters' gateway
 * one and, with routing.mesh, its mesh one. The program registers each object as
 * `<app>-<cluster>-<object>` (program.ts names the release by the app; components/cluster-release.ts
 * prefixes the cluster), so another cluster's VirtualService never carries one of these names.
 */
export function waveVirtualServiceNames(
    config: Pick<ReleaseConfig, "app" | "virtualService" | "routing">, clusters: readonly string[],
): Set<string> {
    const objects = config.routing.mesh ? [config.virtualService.name, meshVirtualServiceName(config)] : [config.virtualService.name];
    return new Set(clusters.flatMap((cluster) => objects.map((object) => `${config.app.name}-${cluster}-${object}`)));
}

/** The rollout's optional phases before the weighted steps, in the order they run. */
export const PHASES = ["mirror", "abTest"] as const;
export type PhaseName = typeof PHASES[number];

/** One phase still to run. */
export interface Phase {
    name: PhaseName;
    /** The whole `routing` key while the phase runs: the stack's own, plus the phase's mirror or testers' route. */
    routing: Record<string, unknown>;
    pauseMs: number;
    /** abTest: what marks a tester's request, as headers (the cookie as a `cookie` header). */
    testerHeaders?: Record<string, string>;
}

export interface PhasesPlan {
    /** The `routing` key without any phase's addition, which a phase's end or failure writes back; undefined: the stack has no such key. */
    base: Record<string, unknown> | undefined;
    /** The phases still to run, in order. */
    phases: Phase[];
}

type PhaseSettings = Pick<ReleaseConfig["rollout"], "mirror" | "abTest">;

/**
 * Which phases run, from the stack's plan and its `routing` key as the stack file holds it (the
 * rollout's state, as the weights are): none once the canary has weight anywhere (they come before the
 * weighted steps); otherwise the mirror phase then the A/B phase, where configured, except that a
 * stack holding the A/B phase's testers' route (a rollout stopped in it) resumes there, its mirror
 * phase having passed. A stack holding a phase's addition while the canary has weight, or a
 * routing.mirror of its own while the plan has a mirror phase, was not left by a rollout: refused.
 */
export function remainingPhases(routing: unknown, settings: PhaseSettings, pair: RolloutPair, defaultPauseMs: number, canaryHasWeight: boolean): PhasesPlan {
    const raw = typeof routing === "object" && routing !== null ? routing as Record<string, unknown> : undefined;
    const testers = settings.abTest === undefined ? undefined : testersRoute(settings.abTest, pair.canary);
    const matches = Array.isArray(raw?.matches) ? raw.matches as unknown[] : [];
    const testersAt = testers === undefined ? -1 : matches.findIndex((m) => sameJson(m, testers));
    const phaseMirror = settings.mirror === undefined ? undefined : { version: pair.canary, percent: settings.mirror.percent };
    const mirrorOn = phaseMirror !== undefined && raw?.mirror !== undefined && sameJson(raw.mirror, phaseMirror);
    if (phaseMirror !== undefined && raw?.mirror !== undefined && !mirrorOn) {
        throw new UsageError(`routing.mirror is set (${JSON.stringify(raw.mirror)}) and rollout.mirror asks for a mirror phase, which sets routing.mirror itself: remove one of them`);
    }
    if (testersAt >= 0 && mirrorOn) {
        throw new UsageError("routing holds both the mirror phase's mirror and the A/B phase's testers' route, which a rollout never leaves: remove routing.mirror to resume the A/B phase");
    }
    // The stack's own routing: without the phase's addition (a key or list left empty by it goes, as
    // does a routing key the rollout created).
    let baseOrNone: Record<string, unknown> | undefined = raw === undefined ? undefined : { ...raw };
    if (baseOrNone !== undefined && testersAt >= 0) {
        const rest = matches.filter((_, i) => i !== testersAt);
        if (rest.length > 0) {
            baseOrNone.matches = rest;
        } else {
            delete baseOrNone.matches;
        }
    }
    if (baseOrNone !== undefined && mirrorOn) {
        delete baseOrNone.mirror;
    }
    if (baseOrNone !== undefined && Object.keys(baseOrNone).length === 0 && (testersAt >= 0 || mirrorOn)) {
        baseOrNone = undefined;
    }
    if (canaryHasWeight) {
        if (testersAt >= 0 || mirrorOn) {
            throw new UsageError(`routing holds the ${mirrorOn ? "mirror" : "A/B"} phase's ${mirrorOn ? "mirror" : "testers' route"} while ${pair.canary} already has weight, ` +
                `which a rollout never leaves (its phases come before the weighted steps): remove it from routing, then rerun`);
        }
        return { base: baseOrNone, phases: [] };
    }
    const phases: Phase[] = [];
    const start = baseOrNone ?? {};
    if (settings.mirror !== undefined && phaseMirror !== undefined && testersAt < 0) {
        phases.push({ name: "mirror", routing: { ...start, mirror: phaseMirror }, pauseMs: settings.mirror.pause ?? defaultPauseMs });
    }
    if (settings.abTest !== undefined && testers !== undefined) {
        const startMatches = Array.isArray(start.matches) ? start.matches as unknown[] : [];
        const [cookie] = Object.entries(settings.abTest.cookie ?? {});
        phases.push({
            name: "abTest",
            // After the stack's own matches: a tester route the stack already has keeps its precedence.
            routing: { ...start, matches: [...startMatches, testers] },
            pauseMs: settings.abTest.pause ?? defaultPauseMs,
            testerHeaders: { ...settings.abTest.headers, ...(cookie === undefined ? {} : { cookie: `${cookie[0]}=${cookie[1]}` }) },
        });
    }
    return { base: baseOrNone, phases };
}

/** The routing.matches entry of the A/B phase: its conditions, to the canary. */
function testersRoute(abTest: NonNullable<PhaseSettings["abTest"]>, canary: string): Record<string, unknown> {
    return { version: canary, ...(abTest.headers === undefined ? {} : { headers: abTest.headers }), ...(abTest.cookie === undefined ? {} : { cookie: abTest.cookie }) };
}

/** Equal as JSON, whatever the order of object keys (the stack file's YAML keeps the user's). */
function sameJson(a: unknown, b: unknown): boolean {
    return canonicalJson(a) === canonicalJson(b);
}
