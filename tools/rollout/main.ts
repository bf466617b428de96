// `npm run rollout` as a command: check the request, then step, analyse, and promote or roll back.
// Exit status: 0 promoted, 1 rolled back, 2 tool error (nothing advanced past the last applied step), 64 usage.
import { setTimeout as sleep } from "node:timers/promises";
import { CONFIG_NAMESPACE, type EngineConfig } from "../../config/index.ts";
import { serviceFqdn } from "../../mesh/hosts.ts";
import { EXIT } from "../command/exit-codes.ts";
import { defineCommand, type CommandIO } from "../command/run-command.ts";
import { readCommandStack } from "../stack-file.ts";
import { DEFAULTS as VERIFY_DEFAULTS } from "../verify/options.ts";
import { analyseStep, checkSplit, IngressError, type AnalysisSettings, type CheckFailure } from "./analysis.ts";
import { HELP, ROLLOUT_FLAGS, rolloutOptions, USAGE, type RolloutOptions } from "./args.ts";
import type { EventSink, StepRow } from "./events.ts";
import { RolloutLock, RolloutLockedError } from "./lock.ts";
import { HumanOutput, JsonLines } from "./output.ts";
import { choosePair, describeWeights, pauseLimitProblem, remainingSteps, weightsAt, type PlanSetting, type RolloutPair, type Weights } from "./plan.ts";
import { PreflightError, preflight } from "./preflight.ts";
import { PrometheusError, type MetricsChoice, type MetricsChoiceGiven } from "./prometheus.ts";
import type { RolloutStack } from "./stack.ts";
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
    if (plan.waves !== undefined) {
        // Read and validated (config/rollout.ts, plan.ts's remainingWaves), but not stepped through yet:
        // moving every cluster at once would ignore what the stack asks for, so refuse instead.
        throw new UsageError(`rollout.waves: a rollout wave by wave is not implemented yet (issue #17.5); remove rollout.waves from Pulumi.${options.stack}.yaml to move every config target at once`);
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
    return { options, pair, analysis, metrics, steps: options.steps ?? plan.steps, canaryWeight };
}

class Rollout {
    private readonly rows: StepRow[] = [];
    private readonly started = Date.now();
    private stopRequested = false;
    /** The weights the stack runs with: the last update that completed. */
    private applied: Weights = {};
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

    async run(): Promise<number> {
        const { options, steps, canaryWeight } = this.request;
        const plan = remainingSteps(steps, canaryWeight);
        this.applied = weightsAt(this.pair, canaryWeight);
        let lastPassed = plan.fallback;
        let metrics: MetricsChoice | undefined;
        try {
            metrics = await preflight({
                url: options.verify.url.href, ...(options.verify.host === undefined ? {} : { host: options.verify.host }),
                // As long as verify's own requests wait (the rollout never changes that).
                timeoutMs: VERIFY_DEFAULTS.timeoutMs,
                ...(options.prometheus === undefined ? {} : { prometheus: options.prometheus }), metrics: this.request.metrics, service: this.request.analysis.service,
            });
        } catch (err) {
            if (err instanceof PreflightError) {
                return this.finish("error", EXIT.toolError, `${err.message}; nothing was changed (the stack stays at ${describeWeights(this.applied, this.pair)})`);
            }
            throw err;
        }
        const analysis: AnalysisSettings = {
            ...this.request.analysis,
            ...(options.prometheus === undefined || metrics === undefined ? {} : { metrics: { prometheus: options.prometheus, source: metrics.source } }),
        };
        this.sink.emit({
            event: "start", stack: options.stack, canary: this.pair.canary, stable: this.pair.stable, weights: this.applied,
            steps: plan.steps, pauseSeconds: analysis.pauseMs / 1000, prometheus: options.prometheus?.href ?? null, metrics: metrics ?? null,
        });
        // The engine's modules load only now: a refused request is answered without them, at once.
        const { EngineError, RolloutStack } = await import("./stack.ts");
        let stack: RolloutStack;
        try {
            stack = await RolloutStack.open(this.io.cwd, options.stack);
        } catch (err) {
            if (err instanceof EngineError) {
                return this.finish("error", EXIT.toolError, `${err.message}; nothing was changed (the stack stays at ${describeWeights(this.applied, this.pair)})`);
            }
            throw err;
        }
        try {
            for (const [index, weight] of plan.steps.entries()) {
                const step = index + 1;
                const weights = weightsAt(this.pair, weight);
                const stepStarted = Date.now();
                await this.apply(stack, step, plan.steps.length, weights);
                this.unjudged = { step, weights, seconds: 0, started: stepStarted };
                this.checkInterrupt(`after applying step ${step}`);
                const result = await this.during(analyseStep(analysis, weights, this.pair, Date.now()), `during the analysis of step ${step}`);
                this.unjudged = undefined;
                const row: StepRow = { step, weights, verify: result.verify, ...(result.health ? { health: result.health } : {}), passed: result.failure === undefined, seconds: (Date.now() - stepStarted) / 1000 };
                this.rows.push(row);
                this.sink.emit({ event: "analysed", row, ...(result.failure ? { failure: result.failure } : {}) });
                if (result.failure !== undefined) {
                    return await this.rollBack(stack, step, result.failure, weightsAt(this.pair, lastPassed));
                }
                lastPassed = weight;
            }
            if (options.retire) {
                const retired = await stack.retire(this.pair.stable);
                this.sink.emit({ event: "retired", version: this.pair.stable, configSeconds: retired.configSeconds, previewSeconds: retired.previewSeconds, upSeconds: retired.upSeconds, changes: retired.changes.length });
            }
            return this.finish("promoted", EXIT.ok, `PROMOTED: ${this.pair.canary} takes all traffic; ${this.pair.stable} ` +
                `${options.retire ? "is retired" : "is deployed but idle (weight 0); retire it with --retire or as docs/operating.md#taking-a-version-offline describes"} (${this.elapsedSeconds()} s).`);
        } catch (err) {
            if (err instanceof EngineError || err instanceof IngressError || err instanceof PrometheusError || err instanceof ToolStop) {
                if (this.unjudged !== undefined) {
                    // Applied, never judged: in the table as such.
                    const { started, ...row } = this.unjudged;
                    this.rows.push({ ...row, seconds: (Date.now() - started) / 1000 });
                }
                return this.finish("error", EXIT.toolError, `${err.message}; the stack stays at ${describeWeights(this.applied, this.pair)} (the last applied step): rerun the same command to resume`);
            }
            throw err;
        }
    }

    /** One update; `this.applied` follows what the stack runs with. */
    private async apply(stack: RolloutStack, step: number | "rollback", of: number, weights: Weights): Promise<void> {
        this.sink.emit({ event: "applying", step, of, weights });
        const update = await stack.moveWeights(weights, this.applied);
        this.applied = weights;
        this.sink.emit({ event: "applied", step, weights, configSeconds: update.configSeconds, previewSeconds: update.previewSeconds, upSeconds: update.upSeconds, changes: update.changes.length });
    }

    private async rollBack(stack: RolloutStack, failedStep: number, failure: CheckFailure, to: Weights): Promise<number> {
        this.sink.emit({ event: "rollback", failedStep, weights: to, failure });
        const started = Date.now();
        await this.apply(stack, "rollback", 1, to);
        await sleep(this.request.analysis.settleMs);
        const verify = await checkSplit(this.request.analysis.verify, to, this.pair);
        const row: StepRow = { step: "rollback", weights: to, verify, passed: verify.verdict === "match", seconds: (Date.now() - started) / 1000 };
        this.rows.push(row);
        this.sink.emit({ event: "analysed", row });
        const checked = verify.verdict === "match" ? `verified: ${verify.summary}` : `NOT verified: ${verify.summary}`;
        return this.finish("rolled back", EXIT.failed, `ROLLED BACK: step ${failedStep} failed its ${failure.check} check: ${failure.message.replace(/\.$/, "")}. ` +
            `Weights are back at ${describeWeights(to, this.pair)}, ${checked}`);
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
