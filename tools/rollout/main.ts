// `npm run rollout` as a command: check the request, then step, analyse, and promote or roll back.
// Exit status: 0 promoted, 1 rolled back, 2 tool error (nothing advanced past the last applied step), 64 usage.
import { setTimeout as sleep } from "node:timers/promises";
import { CONFIG_NAMESPACE, decodeEngineConfig, type EngineConfig, type ReleaseConfig } from "../../config/index.ts";
import { serviceFqdn } from "../../mesh/hosts.ts";
import { EXIT } from "../command/exit-codes.ts";
import { defineCommand, type CommandIO } from "../command/run-command.ts";
import { readCommandStack } from "../stack-file.ts";
import { DEFAULTS as VERIFY_DEFAULTS } from "../verify/options.ts";
import { analyseStep, checkProbes, IngressError, type AnalysisSettings, type CheckFailure, type SplitProbe, type StepScope } from "./analysis.ts";
import { HELP, ROLLOUT_FLAGS, rolloutOptions, USAGE, type RolloutOptions } from "./args.ts";
import type { EventSink, RolloutEvent, StepName, StepRow } from "./events.ts";
import { RolloutLock, RolloutLockedError } from "./lock.ts";
import { HumanOutput, JsonLines } from "./output.ts";
import {
    choosePair, describeWave, describeWeights, globalWeights, pauseLimitProblem, remainingPhases, remainingSteps, remainingWaves, waveVirtualServiceNames, waveWeights, weightsAt,
    type Phase, type PhasesPlan, type PlanSetting, type RolloutPair, type WaveStart, type Weights,
} from "./plan.ts";
import { PreflightError, preflight } from "./preflight.ts";
import { PrometheusError, type MetricsChoice, type MetricsChoiceGiven } from "./prometheus.ts";
import type { ClusterWeights, RolloutStack, UpdateTiming } from "./stack.ts";
import { UsageError } from "../command/errors.ts";

export interface RolloutIO extends CommandIO {
    /** Resolves when the user asks the rollout to stop (Ctrl-C); an update in flight is finished first. */
    interrupted?: Promise<void>;
}

/** A stop that leaves the stack at the last applied step: one line, exit 2. */
class ToolStop extends Error {
    override name = "ToolStop";
}

export const rolloutCommand = defineCommand({
    name: "rollout",
    usage: USAGE,
    help: HELP,
    flags: ROLLOUT_FLAGS,
    options: rolloutOptions,
    run: (options, io: RolloutIO) => runRollout(options, io),
});

export async function runRollout(options: RolloutOptions, io: RolloutIO): Promise<number> {
    const request = prepare(options, io.cwd);
    const sink: EventSink = options.json ? new JsonLines(io.stdout) : new HumanOutput(io.stdout, io.stderr);
    let lock: RolloutLock;
    try {
        lock = RolloutLock.acquire(io.cwd, options.stack);
    } catch (err) {
        if (err instanceof RolloutLockedError) {
            sink.emit({ event: "done", outcome: "error", exitCode: EXIT.toolError, summary: err.message, rows: [], seconds: 0 });
            return EXIT.toolError;
        }
        throw err;
    }
    try {
        return await new Rollout(request, io, sink).run();
    } finally {
        lock.release();
    }
}

/** Whether the stack file itself sets `rollout.<path>`, rather than leaving it to its default. */
function stackSets(engineConfig: EngineConfig, path: readonly string[]): boolean {
    let value: unknown;
    try {
        value = JSON.parse(engineConfig.values[`${CONFIG_NAMESPACE}:rollout`] ?? "null");
    } catch {
        return false;
    }
    for (const key of path) {
        value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
    return value !== undefined;
}

/** Everything checked before anything changes: the stack file, the pair, the plan. Throws UsageError or ToolError. */
function prepare(options: RolloutOptions, projectDir: string) {
    const { engineConfig, config } = readCommandStack(options.stack, projectDir);
    const pair = choosePair(config, options.to);
    const plan = config.rollout;
    const steps = options.steps ?? plan.steps;
    const waves = plan.waves === undefined ? undefined : prepareWaves(options, config, pair, plan.waves, steps);
    if (waves === undefined && options.url === undefined) {
        throw new UsageError(`--cluster-url is for a stack with rollout.waves, which Pulumi.${options.stack}.yaml does not set: give the ingress as --url`);
    }
    const setting = (flag: number | undefined, stackValue: number, path: string[]): PlanSetting =>
        flag !== undefined ? { ms: flag, from: "flag" } : { ms: stackValue, from: stackSets(engineConfig, path) ? "stack" : "default" };
    const pause = setting(options.pauseMs, plan.pause, ["pause"]);
    const maxPause = setting(options.maxPauseMs, plan.analysis.maxPause, ["analysis", "maxPause"]);
    const pauses = pauseLimitProblem(pause, maxPause, options.stack);
    if (pauses !== undefined) {
        throw new UsageError(pauses);
    }
    const analysis: Omit<AnalysisSettings, "metrics"> = {
        // The stack's app says how its answers name their version; --version-pattern wins.
        verify: { versionPattern: new RegExp(config.app.versionPattern), ...options.verify },
        settleMs: options.settleMs ?? plan.analysis.settle,
        pauseMs: pause.ms,
        // The Service the VirtualService routes to, as the program names it.
        service: { namespace: config.namespace, host: serviceFqdn(config.service.name, config.namespace), port: config.service.port },
        minSuccessRate: options.minSuccessRate ?? plan.analysis.minSuccessRate,
        maxP99Ms: options.maxP99Ms ?? plan.analysis.maxP99,
        minRequests: options.minRequests ?? plan.analysis.minRequests,
        maxPauseMs: maxPause.ms,
    };
    const canaryWeight = config.versions.find((v) => v.name === pair.canary)?.weight ?? 0;
    const metrics: MetricsChoiceGiven = options.metrics === undefined
        ? { option: plan.analysis.metrics, from: "stack" }
        : { option: options.metrics, from: "flag" };
    const canaryHasWeight = canaryWeight > 0 || Object.values(waves?.own ?? {}).some((own) => own !== null && (own[pair.canary] ?? 0) > 0);
    const phases = remainingPhases(stackValue(engineConfig, "routing"), plan, pair, pause.ms, canaryHasWeight);
    return { options, pair, analysis, metrics, steps, canaryWeight, waves, phases };
}

/** A key of the stack file as its YAML holds it, before defaults (undefined when the stack does not set it). */
function stackValue(engineConfig: EngineConfig, key: string): unknown {
    return decodeEngineConfig(engineConfig).raw[key];
}

/**
 * A wave-by-wave rollout's plan, from rollout.waves and each cluster's own weights (remainingWaves), and
 * what each wave needs: its clusters' gateways (every cluster of the waves must have a --cluster-url:
 * verify at another cluster's gateway would judge routes the wave did not move) and the Pulumi names
 * of its VirtualServices, the only objects its steps may change.
 */
function prepareWaves(options: RolloutOptions, config: ReleaseConfig, pair: RolloutPair, waves: readonly (readonly string[])[], steps: readonly number[]) {
    const clusters = waves.flat();
    const urls = options.clusterUrls ?? {};
    if (options.url !== undefined) {
        throw new UsageError(`Pulumi.${options.stack}.yaml sets rollout.waves, which moves one wave of clusters at a time, each verified at its own gateways: ` +
            `give --cluster-url <cluster>=<url> for each of ${clusters.join(", ")} instead of --url`);
    }
    const unknown = Object.keys(urls).filter((cluster) => !clusters.includes(cluster));
    if (unknown.length > 0) {
        throw new UsageError(`--cluster-url ${unknown.join(", ")}: not in rollout.waves (${clusters.join(", ")})`);
    }
    const missing = clusters.filter((cluster) => urls[cluster] === undefined);
    if (missing.length > 0) {
        throw new UsageError(`--cluster-url is missing for ${missing.join(", ")}: every cluster of rollout.waves is verified at its own gateway, ` +
            `e.g. --cluster-url ${missing[0] ?? ""}=http://<its ingress>/hello`);
    }
    const own: ClusterWeights = Object.fromEntries(clusters.map((cluster) => [cluster, config.clusters.find((c) => c.name === cluster)?.weights ?? null]));
    return {
        waves,
        plan: remainingWaves(config, pair, waves, steps),
        urls,
        own,
        base: globalWeights(config),
        virtualServices: (clusters: readonly string[]) => waveVirtualServiceNames(config, clusters),
    };
}

type WavesRequest = ReturnType<typeof prepareWaves>;

class Rollout {
    private readonly rows: StepRow[] = [];
    private readonly started = Date.now();
    private stopRequested = false;
    /** The weights the stack runs with: the last update that completed (the global weights, in waves the start). */
    private applied: Weights = {};
    /** In a wave-by-wave rollout, the clusters' own weights the stack runs with (null: the global ones). */
    private appliedOwn: ClusterWeights = {};
    /** The step applied but not judged yet, for the table if the run stops there. */
    private unjudged: (StepRow & { started: number }) | undefined;
    private readonly pair: RolloutPair;
    private readonly request: ReturnType<typeof prepare>;
    private readonly io: RolloutIO;
    private readonly sink: EventSink;

    constructor(request: ReturnType<typeof prepare>, io: RolloutIO, sink: EventSink) {
        this.request = request;
        this.io = io;
        this.sink = sink;
        this.pair = request.pair;
        void io.interrupted?.then(() => {
            this.stopRequested = true;
        });
    }

    /** Every ingress the rollout verifies: --url, or each cluster's gateway (named by its cluster). */
    private get ingresses(): { url: URL; cluster?: string }[] {
        const { options, waves } = this.request;
        return waves === undefined ? [{ url: options.url as URL }] : Object.entries(waves.urls).map(([cluster, url]) => ({ url, cluster }));
    }

    async run(): Promise<number> {
        const { options, steps, canaryWeight, waves, phases } = this.request;
        const plan = remainingSteps(steps, canaryWeight);
        this.applied = weightsAt(this.pair, canaryWeight);
        this.appliedOwn = waves?.own ?? {};
        let metrics: MetricsChoice | undefined;
        try {
            metrics = await preflight({
                urls: this.ingresses.map((ingress) => ingress.url.href), ...(options.verify.host === undefined ? {} : { host: options.verify.host }),
                // As long as verify's own requests wait (the rollout never changes that).
                timeoutMs: VERIFY_DEFAULTS.timeoutMs,
                ...(options.prometheus === undefined ? {} : { prometheus: options.prometheus }), metrics: this.request.metrics, service: this.request.analysis.service,
            });
        } catch (err) {
            if (err instanceof PreflightError) {
                return this.finish("error", EXIT.toolError, `${err.message}; nothing was changed (the stack stays at ${this.describeApplied()})`);
            }
            throw err;
        }
        const analysis: AnalysisSettings = {
            ...this.request.analysis,
            ...(options.prometheus === undefined || metrics === undefined ? {} : { metrics: { prometheus: options.prometheus, source: metrics.source } }),
        };
        this.sink.emit({
            event: "start", stack: options.stack, canary: this.pair.canary, stable: this.pair.stable, weights: this.applied,
            steps: waves === undefined ? plan.steps : waves.plan.remaining[0]?.plan.steps ?? [],
            pauseSeconds: analysis.pauseMs / 1000, prometheus: options.prometheus?.href ?? null, metrics: metrics ?? null,
            waves: waves === undefined ? null : {
                done: waves.plan.done.map((index) => ({ index, clusters: [...(waves.waves[index] ?? [])] })),
                remaining: waves.plan.remaining.map((w) => ({ index: w.index, clusters: [...w.clusters], steps: w.plan.steps })),
            },
            phases: phases.phases.map((phase) => phase.name),
        });
        // The engine's modules load only now: a refused request is answered without them, at once.
        const { EngineError, RolloutStack } = await import("./stack.ts");
        let stack: RolloutStack;
        try {
            stack = await RolloutStack.open(this.io.cwd, options.stack);
        } catch (err) {
            if (err instanceof EngineError) {
                return this.finish("error", EXIT.toolError, `${err.message}; nothing was changed (the stack stays at ${this.describeApplied()})`);
            }
            throw err;
        }
        try {
            const rolledBack = await this.runPhases(stack, analysis, phases)
                ?? (waves === undefined ? await this.stepAll(stack, analysis, plan.steps, plan.fallback) : await this.stepWaves(stack, analysis, waves));
            if (rolledBack !== undefined) {
                return rolledBack;
            }
            if (options.retire) {
                const retired = await stack.retire(this.pair.stable);
                this.sink.emit({ event: "retired", version: this.pair.stable, configSeconds: retired.configSeconds, previewSeconds: retired.previewSeconds, upSeconds: retired.upSeconds, changes: retired.changes.length });
            }
            return this.finish("promoted", EXIT.ok, `PROMOTED: ${this.pair.canary} takes all traffic${waves === undefined ? "" : ", wave by wave"}; ${this.pair.stable} ` +
                `${options.retire ? "is retired" : "is deployed but idle (weight 0); retire it with --retire or as docs/operating.md#taking-a-version-offline describes"} (${this.elapsedSeconds()} s).`);
        } catch (err) {
            if (err instanceof EngineError || err instanceof IngressError || err instanceof PrometheusError || err instanceof ToolStop) {
                if (this.unjudged !== undefined) {
                    // Applied, never judged: in the table as such.
                    const { started, ...row } = this.unjudged;
                    this.rows.push({ ...row, seconds: (Date.now() - started) / 1000 });
                }
                return this.finish("error", EXIT.toolError, `${err.message}; the stack stays at ${this.describeApplied()} (the last applied step): rerun the same command to resume`);
            }
            throw err;
        }
    }

    /**
     * verify at every ingress in `ingresses`, each at `weights`; `who` (users, testers) and the ingress's
     * cluster name the check, `headers` mark its requests.
     */
    private probesAt(ingresses: readonly { url: URL; cluster?: string }[], weights: Weights, requests: { who?: string; headers?: Record<string, string> } = {}): SplitProbe[] {
        return ingresses.map((ingress) => {
            const label = [ingress.cluster, requests.who].filter((part) => part !== undefined).join(" ");
            return { url: ingress.url, weights, ...(requests.headers === undefined ? {} : { headers: requests.headers }), ...(label === "" ? {} : { label }) };
        });
    }

    /**
     * The phases before the weighted steps, each one update of the routing key (every cluster's
     * VirtualServices) judged over its pause: the mirror phase on the canary's copies, with every user
     * answer still from the stable version; the A/B phase on the testers' requests, every one answered
     * by the canary and every other one by the stable version. A failure puts the stack's own routing
     * back; after the last phase, one more update does. The exit code when rolled back, else undefined.
     */
    private async runPhases(stack: RolloutStack, analysis: AnalysisSettings, plan: PhasesPlan): Promise<number | undefined> {
        if (plan.phases.length === 0) {
            return undefined;
        }
        const users = this.probesAt(this.ingresses, this.applied, { who: "users" });
        let routing: object | undefined = plan.base;
        for (const phase of plan.phases) {
            const started = Date.now();
            await this.applyUpdate(phase.name, plan.phases.length, this.applied, () => stack.moveRouting(phase.routing, routing));
            routing = phase.routing;
            const result = await this.judge({ ...analysis, pauseMs: phase.pauseMs }, { probes: [...this.testerProbes(phase), ...users] }, phase.name, this.applied, started);
            if (result.failure !== undefined) {
                this.sink.emit({ event: "rollback", failedStep: phase.name, weights: this.applied, failure: result.failure });
                const rollbackStarted = Date.now();
                await this.applyUpdate("rollback", 1, this.applied, () => stack.moveRouting(plan.base, routing));
                return await this.verifyRollback(users, rollbackStarted, `the ${phaseWords(phase)} failed its ${result.failure.check} check`, result.failure,
                    `${describeWeights(this.applied, this.pair)}, with the stack's own routing (${phase.name === "mirror" ? "no mirror" : "no testers' route"} to ${this.pair.canary})`);
            }
        }
        const restoreStarted = Date.now();
        await this.applyUpdate("restore", 1, this.applied, () => stack.moveRouting(plan.base, routing));
        this.rows.push({ step: "restore", weights: this.applied, seconds: (Date.now() - restoreStarted) / 1000 });
        return undefined;
    }

    /** In the A/B phase, at every ingress: the testers' requests all answered by the canary. */
    private testerProbes(phase: Phase): SplitProbe[] {
        if (phase.testerHeaders === undefined) {
            return [];
        }
        return this.probesAt(this.ingresses, weightsAt(this.pair, 100), { who: "testers", headers: phase.testerHeaders });
    }

    /** Every config target at once, by the global weights: the exit code when rolled back, else undefined (promoted). */
    private async stepAll(stack: RolloutStack, analysis: AnalysisSettings, steps: readonly number[], fallback: number): Promise<number | undefined> {
        let lastPassed = fallback;
        for (const [index, weight] of steps.entries()) {
            const step = index + 1;
            const weights = weightsAt(this.pair, weight);
            const stepStarted = Date.now();
            await this.applyUpdate(step, steps.length, weights, () => stack.moveWeights(weights, this.applied));
            this.applied = weights;
            const result = await this.judge(analysis, { probes: this.probesAt(this.ingresses, weights) }, step, weights, stepStarted);
            if (result.failure !== undefined) {
                const to = weightsAt(this.pair, lastPassed);
                this.sink.emit({ event: "rollback", failedStep: step, weights: to, failure: result.failure });
                const rollbackStarted = Date.now();
                await this.applyUpdate("rollback", 1, to, () => stack.moveWeights(to, this.applied));
                this.applied = to;
                return await this.verifyRollback(this.probesAt(this.ingresses, to), rollbackStarted, `step ${step} failed its ${result.failure.check} check`, result.failure, describeWeights(to, this.pair));
            }
            lastPassed = weight;
        }
        return undefined;
    }

    /**
     * Wave by wave: each wave's steps set its clusters' own weights (clusters.<c>.weights), previewed to
     * touch that wave's VirtualServices alone, verified at its clusters' gateways and judged on the
     * requests their proxies routed. A failure takes every wave moved so far back to the global
     * weights (their own weights removed); after the last wave, the promotion sets the global weights
     * to the canary and removes every cluster's own, so that the clusters route alike again.
     */
    private async stepWaves(stack: RolloutStack, analysis: AnalysisSettings, waves: WavesRequest): Promise<number | undefined> {
        const moved = waves.plan.done.flatMap((index) => waves.waves[index] ?? []);
        for (const wave of waves.plan.remaining) {
            const gateways = wave.clusters.map((cluster) => ({ url: waves.urls[cluster] as URL, cluster }));
            for (const [index, weight] of wave.plan.steps.entries()) {
                const step = index + 1;
                const weights = weightsAt(this.pair, weight);
                const stepStarted = Date.now();
                const own = waveWeights(this.pair, wave.clusters, weight, waves.base);
                const where = { wave: wave.index, clusters: [...wave.clusters] };
                await this.applyUpdate(step, wave.plan.steps.length, weights,
                    () => stack.moveClusterWeights({ clusters: own }, { clusters: this.ownOf(wave.clusters) }, waves.virtualServices(wave.clusters)), where);
                this.appliedOwn = { ...this.appliedOwn, ...own };
                moved.push(...wave.clusters.filter((cluster) => !moved.includes(cluster)));
                const result = await this.judge(analysis, { probes: this.probesAt(gateways, weights), clusters: wave.clusters }, step, weights, stepStarted, wave);
                if (result.failure !== undefined) {
                    return await this.rollBackWaves(stack, waves, wave, step, result.failure, moved);
                }
            }
        }
        const target = weightsAt(this.pair, 100);
        const promoteStarted = Date.now();
        const clusters = waves.waves.flat();
        const none: ClusterWeights = Object.fromEntries(clusters.map((cluster) => [cluster, null]));
        await this.applyUpdate("promote", 1, target,
            () => stack.moveClusterWeights({ global: target, clusters: none }, { global: this.applied, clusters: this.ownOf(clusters) }, "every cluster"));
        this.applied = target;
        this.appliedOwn = none;
        this.rows.push({ step: "promote", weights: target, seconds: (Date.now() - promoteStarted) / 1000 });
        return undefined;
    }

    private async rollBackWaves(stack: RolloutStack, waves: WavesRequest, wave: WaveStart, failedStep: number, failure: CheckFailure, moved: readonly string[]): Promise<number> {
        const to = this.applied;
        this.sink.emit({ event: "rollback", failedStep, weights: to, failure, wave: wave.index, clusters: [...moved] });
        const started = Date.now();
        const none: ClusterWeights = Object.fromEntries(moved.map((cluster) => [cluster, null]));
        await this.applyUpdate("rollback", 1, to, () => stack.moveClusterWeights({ clusters: none }, { clusters: this.ownOf(moved) }, waves.virtualServices(moved)), { clusters: [...moved] });
        this.appliedOwn = { ...this.appliedOwn, ...none };
        const gateways = moved.map((cluster) => ({ url: waves.urls[cluster] as URL, cluster }));
        return this.verifyRollback(this.probesAt(gateways, to), started, `${describeWave(wave.index, wave.clusters)} step ${failedStep} failed its ${failure.check} check`, failure,
            `${describeWeights(to, this.pair)} in ${moved.join(", ")} (the global weights: their own removed)`);
    }

    /** The rollback's update is done: verifies what users get now and finishes, exit 1. */
    private async verifyRollback(probes: readonly SplitProbe[], started: number, what: string, failure: CheckFailure, where: string): Promise<number> {
        await sleep(this.request.analysis.settleMs);
        const verify = await checkProbes(this.request.analysis.verify, probes, this.pair);
        const row: StepRow = { step: "rollback", weights: probes[0]?.weights ?? this.applied, verify, passed: verify.verdict === "match", seconds: (Date.now() - started) / 1000 };
        this.rows.push(row);
        this.sink.emit({ event: "analysed", row });
        const checked = verify.verdict === "match" ? `verified: ${verify.summary}` : `NOT verified: ${verify.summary}`;
        return this.finish("rolled back", EXIT.failed, `ROLLED BACK: ${what}: ${failure.message.replace(/\.$/, "")}. Weights are back at ${where}, ${checked}`);
    }

    /** The step's analysis, cut short by an interrupt; its row is in the table and the events. */
    private async judge(analysis: AnalysisSettings, scope: StepScope, step: StepName, weights: Weights, stepStarted: number, wave?: WaveStart) {
        const inWave = wave === undefined ? {} : { wave: wave.index };
        this.unjudged = { step, ...inWave, weights, seconds: 0, started: stepStarted };
        const label = typeof step === "number" ? `${wave === undefined ? "" : `${describeWave(wave.index, wave.clusters)} `}step ${step}` : `the ${step} phase`;
        this.checkInterrupt(`after applying ${label}`);
        const result = await this.during(analyseStep(analysis, scope, this.pair, Date.now()), `during the analysis of ${label}`);
        this.unjudged = undefined;
        const row: StepRow = {
            step, ...inWave, weights, verify: result.verify, ...(result.health ? { health: result.health } : {}), passed: result.failure === undefined, seconds: (Date.now() - stepStarted) / 1000,
        };
        this.rows.push(row);
        this.sink.emit({ event: "analysed", row, ...(result.failure ? { failure: result.failure } : {}) });
        return result;
    }

    /** One update of the stack (`move`), between its `applying` and `applied` events; `where`: a wave's. */
    private async applyUpdate(step: StepName, of: number, weights: Weights, move: () => Promise<UpdateTiming>,
        where: Pick<Extract<RolloutEvent, { event: "applied" }>, "wave" | "clusters"> = {}): Promise<void> {
        this.sink.emit({ event: "applying", step, of, weights, ...where });
        const update = await move();
        this.sink.emit({
            event: "applied", step, weights, configSeconds: update.configSeconds, previewSeconds: update.previewSeconds, upSeconds: update.upSeconds, changes: update.changes.length, ...where,
        });
    }

    /** The clusters' own weights as applied, for putting the stack file back if an update fails. */
    private ownOf(clusters: readonly string[]): ClusterWeights {
        return Object.fromEntries(clusters.map((cluster) => [cluster, this.appliedOwn[cluster] ?? null]));
    }

    /** "v1 75 / v2 25", or in waves each cluster's: "mdemo-cluster1 v1 0 / v2 100, mdemo-cluster2 v1 100 / v2 0". */
    private describeApplied(): string {
        const own = Object.entries(this.appliedOwn);
        if (this.request.waves === undefined || own.length === 0) {
            return describeWeights(this.applied, this.pair);
        }
        return own.map(([cluster, weights]) => `${cluster} ${describeWeights(weights ?? this.applied, this.pair)}`).join(", ");
    }

    private checkInterrupt(when: string): void {
        if (this.stopRequested) {
            throw new ToolStop(`interrupted ${when}`);
        }
    }

    /** Runs an analysis that an interrupt may cut short: nothing is half-applied during it. */
    private async during<T>(work: Promise<T>, when: string): Promise<T> {
        if (this.io.interrupted === undefined) {
            return work;
        }
        const stop = this.io.interrupted.then(() => {
            throw new ToolStop(`interrupted ${when}`);
        });
        return Promise.race([work, stop]);
    }

    private finish(outcome: "promoted" | "rolled back" | "error", exitCode: number, summary: string): number {
        this.sink.emit({ event: "done", outcome, exitCode, summary, rows: this.rows, seconds: this.elapsedSeconds() });
        return exitCode;
    }

    private elapsedSeconds(): number {
        return Math.round((Date.now() - this.started) / 100) / 10;
    }
}

/** "mirror phase (dark traffic)", "A/B phase (testers first)": a phase as the summary names it. */
function phaseWords(phase: Phase): string {
    return phase.name === "mirror" ? "mirror phase (dark traffic)" : "A/B phase (testers first)";
}
