// The rollout's output: one JSON object per event and line (--json), or, for people, a progress line
// per step on stderr (redrawn in place on a terminal while the step runs) and a final table on stdout.
import { formatMs, formatPercent } from "./analysis.ts";
import type { EventSink, RolloutEvent, StepName, StepRow } from "./events.ts";
import { describeWave, type RolloutPair, type Weights } from "./plan.ts";

interface Stream {
    write(text: string): unknown;
    isTTY?: boolean;
}

export class JsonLines implements EventSink {
    private readonly stdout: Stream;

    constructor(stdout: Stream) {
        this.stdout = stdout;
    }

    emit(event: RolloutEvent): void {
        this.stdout.write(`${JSON.stringify({ ...event, time: new Date().toISOString() })}\n`);
    }
}

export class HumanOutput implements EventSink {
    private pair: RolloutPair | undefined;
    /** The step count of the steps under way (a wave's may differ from the next one's when it resumes). */
    private steps = 0;
    private stepStarted = 0;
    private readonly started = Date.now();
    private readonly stdout: Stream;
    private readonly stderr: Stream;

    constructor(stdout: Stream, stderr: Stream) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    emit(event: RolloutEvent): void {
        switch (event.event) {
            case "start":
                this.pair = { canary: event.canary, stable: event.stable };
                this.steps = event.steps.length;
                this.stderr.write(`rollout ${event.stack}: ${event.stable} -> ${event.canary}, from ${this.weights(event.weights)}, ` +
                    `${event.phases.length === 0 ? "" : `phases ${event.phases.join(", ")}, then `}` +
                    `${event.waves === null ? `steps ${event.steps.join(", ")}` : wavePlan(event.waves)}, ` +
                    `pause ${event.pauseSeconds} s, ${event.prometheus === null ? "no Prometheus" : `Prometheus ${event.prometheus}`}\n`);
                if (event.metrics !== null) {
                    this.stderr.write(`metrics: ${event.metrics.source} (${event.metrics.reason})\n`);
                }
                return;
            case "applying":
                this.stepStarted = Date.now();
                if (typeof event.step === "number") {
                    this.steps = event.of;
                }
                this.live(`${this.label(event.step, event.wave)}  ${this.weights(event.weights)}  pulumi up ...`);
                return;
            case "applied":
                if (event.step === "promote" || event.step === "restore") {
                    // Nothing to analyse: every cluster already serves these weights through its own,
                    // or the phases are over and users get what they got before them.
                    this.line(`${this.label(event.step)}  ${this.weights(event.weights)}  applied (${event.changes} changes, ${event.upSeconds.toFixed(1)} s)  [${this.elapsed()}]`);
                    return;
                }
                this.live(`${this.label(event.step, event.wave)}  ${this.weights(event.weights)}  applied (${event.changes} changes, ${event.upSeconds.toFixed(1)} s)  analysing ...`);
                return;
            case "analysed":
                this.line(`${this.label(event.row.step, event.row.wave)}  ${this.weights(event.row.weights)}  ${verdicts(event.row)}  ` +
                    `${event.row.passed === true ? "passed" : event.row.passed === false ? "FAILED" : "not judged"}  [${this.elapsed()}]`);
                return;
            case "rollback":
                this.line(`${typeof event.failedStep === "number" ? `${event.wave === undefined ? "" : `wave ${event.wave + 1} `}step ${event.failedStep}` : `${event.failedStep} phase`} ` +
                    `failed (${event.failure.check}): ${event.failure.message}` +
                    `${event.clusters === undefined ? "" : `; rolling back ${event.clusters.join(", ")}`}`);
                return;
            case "retired":
                this.line(`retired ${event.version}: ${event.changes} changes (${event.upSeconds.toFixed(1)} s)  [${this.elapsed()}]`);
                return;
            case "done":
                this.clearLive();
                if (event.rows.length > 0) {
                    this.stdout.write(renderTable(event.rows, this.pair));
                }
                (event.outcome === "error" ? this.stderr : this.stdout).write(`${event.outcome === "error" ? "rollout: " : ""}${event.summary}\n`);
                return;
        }
    }

    private label(step: StepName, wave?: number): string {
        if (typeof step !== "number") {
            return step.padEnd(9);
        }
        return `${wave === undefined ? "" : `wave ${wave + 1} `}step ${step}/${this.steps}`;
    }

    private weights(weights: Weights): string {
        return this.pair === undefined ? JSON.stringify(weights) : `${this.pair.stable} ${weights[this.pair.stable] ?? 0} / ${this.pair.canary} ${weights[this.pair.canary] ?? 0}`;
    }

    private elapsed(): string {
        return `${((Date.now() - this.started) / 1000).toFixed(1)} s`;
    }

    /** On a terminal, the line of the step that runs, redrawn in place; elsewhere nothing. */
    private live(text: string): void {
        if (this.stderr.isTTY === true) {
            this.stderr.write(`\r\x1b[K${text}  ${((Date.now() - this.stepStarted) / 1000).toFixed(1)} s`);
        }
    }

    private clearLive(): void {
        if (this.stderr.isTTY === true) {
            this.stderr.write("\r\x1b[K");
        }
    }

    private line(text: string): void {
        this.clearLive();
        this.stderr.write(`${text}\n`);
    }
}

function verdicts(row: StepRow): string {
    const verify = row.verify === undefined ? "verify -" : `verify ${row.verify.verdict.toUpperCase()} (${row.verify.responses})`;
    const health = row.health === undefined ? "" : `  success ${formatPercent(row.health.successRate)}  p99 ${formatMs(row.health.p99Ms)} (${row.health.requests} req)`;
    return `${verify}${health}`;
}

/** "wave 1 (mdemo-cluster1) steps 10, 100, then wave 2 (mdemo-cluster2) steps 10, 100": what a wave-by-wave rollout has left. */
function wavePlan(waves: Extract<RolloutEvent, { event: "start" }>["waves"] & {}): string {
    const done = waves.done.map((w) => `${describeWave(w.index, w.clusters)} at 100`);
    const left = waves.remaining.map((w) => `${describeWave(w.index, w.clusters)} steps ${w.steps.join(", ")}`);
    return [...done, left.join(", then ")].join(", ");
}

/**
 * Every step: weights, verify's verdict and sample size, success rate, p99, duration; in a wave-by-wave
 * rollout, first the wave (from 1; none for the rollback and the promotion, which span waves).
 */
export function renderTable(rows: StepRow[], pair: RolloutPair | undefined): string {
    const waves = rows.some((row) => row.wave !== undefined);
    const header = [...(waves ? ["wave"] : []), "step", "weights", "verify", "responses", "success", "p99", "requests", "duration"];
    const cells = rows.map((row) => [
        ...(waves ? [row.wave === undefined ? "" : String(row.wave + 1)] : []),
        String(row.step),
        pair === undefined ? JSON.stringify(row.weights) : `${pair.stable} ${row.weights[pair.stable] ?? 0} / ${pair.canary} ${row.weights[pair.canary] ?? 0}`,
        row.verify === undefined ? "-" : row.verify.verdict.toUpperCase(),
        row.verify === undefined ? "-" : String(row.verify.responses),
        row.health === undefined ? "-" : formatPercent(row.health.successRate),
        row.health === undefined ? "-" : formatMs(row.health.p99Ms),
        row.health === undefined ? "-" : String(row.health.requests),
        `${row.seconds.toFixed(1)} s`,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
    // The wave, the step and the weights are read left to right; the figures line up on the right.
    const leftAligned = waves ? 2 : 1;
    const format = (cols: string[]) => cols.map((c, i) => (i <= leftAligned ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ").trimEnd();
    return `\n${[format(header), ...cells.map(format)].join("\n")}\n\n`;
}
