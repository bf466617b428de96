// What a rollout reports, as plain data: `--json` prints each event as one line, the terminal output
// is drawn from the same events (tools/rollout/output.ts).
import type { CheckFailure, HealthResult, SplitCheck } from "./analysis.ts";
import type { PhaseName, Weights } from "./plan.ts";
import type { MetricsChoice } from "./prometheus.ts";

/**
 * 1-based step number; "rollback"; "promote", the update that ends a wave-by-wave rollout; a phase
 * before the weighted steps ("mirror", "abTest"); or "restore", the update that ends the phases.
 */
export type StepName = number | "rollback" | "promote" | PhaseName | "restore";

/** One row of the final table: a step, the rollback or the promotion. */
export interface StepRow {
    step: StepName;
    /** In a wave-by-wave rollout, the step's wave: its index in `rollout.waves`, from 0. */
    wave?: number;
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
    // `waves`: null unless the stack sets rollout.waves; then each wave still to move with its steps (the
    // first may resume part way), `done` the waves already at 100, and `steps` the first wave's.
    | { event: "start"; stack: string; canary: string; stable: string; weights: Weights; steps: number[]; pauseSeconds: number; prometheus: string | null; metrics: MetricsChoice | null;
        waves: { done: WaveName[]; remaining: (WaveName & { steps: number[] })[] } | null;
        // The phases still to run before the weighted steps, in order.
        phases: PhaseName[] }
    // `wave` and `clusters`: the wave the step moves (absent without waves, and for "promote", which moves every cluster).
    | { event: "applying"; step: StepName; of: number; weights: Weights; wave?: number; clusters?: string[] }
    | { event: "applied"; step: StepName; weights: Weights; configSeconds: number; previewSeconds: number; upSeconds: number; changes: number; wave?: number; clusters?: string[] }
    | { event: "analysed"; row: StepRow; failure?: CheckFailure }
    // In a wave, `wave` failed and `clusters` are every moved wave's clusters, all back at `weights`.
    | { event: "rollback"; failedStep: number | PhaseName; weights: Weights; failure: CheckFailure; wave?: number; clusters?: string[] }
    | { event: "retired"; version: string; configSeconds: number; previewSeconds: number; upSeconds: number; changes: number }
    | { event: "done"; outcome: Outcome; exitCode: number; summary: string; rows: StepRow[]; seconds: number };

/** A wave: its index in `rollout.waves` (from 0) and its clusters. */
export interface WaveName {
    index: number;
    clusters: string[];
}

export interface EventSink {
    emit(event: RolloutEvent): void;
}
