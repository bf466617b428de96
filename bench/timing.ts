// Wall-clock timing of whole commands, as a user runs them: process start, module loading and all.
import { spawnSync } from "node:child_process";

/** Runs a command once and returns its wall time in milliseconds; throws if it fails. */
export function timeCommand(args: readonly string[], cwd: string): number {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { cwd, encoding: "utf8" });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (run.status !== 0) {
        throw new Error(`${args.join(" ")} exited ${run.status}: ${run.stderr}`);
    }
    return elapsed;
}

/** Wall time of a call in this process, in milliseconds. */
export function elapsedMs(run: () => void): number {
    const started = process.hrtime.bigint();
    run();
    return Number(process.hrtime.bigint() - started) / 1e6;
}

export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Times several commands side by side: round-robin, so that a slow moment of the machine hits all
 * of them alike, after one warm-up run each (file cache). Returns the median per command.
 */
export function timeSideBySide(commands: Record<string, readonly string[]>, cwd: string, rounds: number): Record<string, number> {
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
    for (const args of Object.values(commands)) {
        timeCommand(args, cwd);
    }
    for (let round = 0; round < rounds; round++) {
        for (const [name, args] of Object.entries(commands)) {
            samples[name]?.push(timeCommand(args, cwd));
        }
    }
    return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

export function formatMs(ms: number): string {
    return `${ms.toFixed(0)} ms`;
}

export function formatRatio(ratio: number): string {
    return `${ratio.toFixed(2)}x`;
}
