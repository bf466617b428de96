// What a rollout reports, as plain data: `--json` prints each event as one line, the terminal output
// is drawn from the same events (tools/rollout/output.ts).
import type { CheckFailure, HealthResult, SplitCheck } from "./analysis.ts";
import type { Weights } from "./plan.ts";
import type { MetricsChoice } from "./prometheus.ts";

/** One row of the final table: a step, or the rollback. */
export interface StepRow {
    /** 1-based step number, or "rollback". */
    step: number | "rollback";
    weights: Weights;
    /** Absent when the step was applied but never analysed (a tool error stopped the run). */
    verify?: SplitCheck;
    health?: HealthResult;
    passed?: boolean;
    /** Wall time of the step: its preview, update and analysis, seconds. */
    seconds: number;
}

export type Outcome = "promoted" | "rolled back" | "error";

export type RolloutEvent =
    | { event: "start"; stack: string; canary: string; stable: string; weights: Weights; steps: number[]; pauseSeconds: number; prometheus: string | null; metrics: MetricsChoice | null }
    | { event: "applying"; step: number | "rollback"; of: number; weights: Weights }
    | { event: "applied"; step: number | "rollback"; weights: Weights; configSeconds: number; previewSeconds: number; upSeconds: number; changes: number }
    | { event: "analysed"; row: StepRow; failure?: CheckFailure }
    | { event: "rollback"; failedStep: number; weights: Weights; failure: CheckFailure }
    | { event: "retired"; version: string; configSeconds: number; previewSeconds: number; upSeconds: number; changes: number }
    | { event: "done"; outcome: Outcome; exitCode: number; summary: string; rows: StepRow[]; seconds: number };

export interface EventSink {
    emit(event: RolloutEvent): void;
}
