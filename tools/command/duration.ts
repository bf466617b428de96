// The one duration grammar: every duration flag of every command, and the stack's rollout durations
// (config/rollout.ts), are read here, so that `--timeout 10`, `--pause 10` and `pause: 10` mean the same.
import { UsageError } from "./errors.ts";

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof UNITS;

/** How a duration is written, for the help of every command that takes one. */
export const DURATION_HELP = "A duration is a number and a unit, ms, s, m or h (500ms, 30s, 1.5m, 1h); a bare number is seconds.";

/** "500ms", "30s", "1.5m", "1h", or a bare number of seconds, in milliseconds; undefined for anything else. */
export function parseDurationMs(text: string): number | undefined {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
    if (match === null) {
        return undefined;
    }
    return Math.round(Number(match[1]) * UNITS[(match[2] ?? "s") as Unit]);
}

/** A duration in the largest unit that writes it with at most one decimal: 600000 -> "10m", 1500 -> "1.5s". */
export function formatDuration(ms: number): string {
    for (const unit of ["h", "m", "s"] as const) {
        const value = ms / UNITS[unit];
        if (value >= 1 && Number.isInteger(value * 10)) {
            return `${value}${unit}`;
        }
    }
    return `${ms}ms`;
}

export interface DurationRule {
    /** Defaults to 0. */
    minMs?: number;
    /** Defaults to no limit. */
    maxMs?: number;
    /** The message's examples. Defaults to "30s, 5m or 1h". */
    examples?: string;
}

/** A duration flag's value, in milliseconds; a UsageError names the flag, what it was given and what it takes. */
export function durationFlag(flag: string, text: string, rule: DurationRule = {}): number {
    const ms = parseDurationMs(text);
    const { minMs = 0, maxMs = Infinity, examples = "30s, 5m or 1h" } = rule;
    if (ms === undefined || ms < minMs || ms > maxMs) {
        const bounds = maxMs !== Infinity ? ` from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`
            : minMs > 0 ? ` of at least ${formatDuration(minMs)}` : "";
        throw new UsageError(`${flag} '${text}' is invalid: use a duration${bounds}${bounds === "" ? "" : ","} such as ${examples}`);
    }
    return ms;
}
