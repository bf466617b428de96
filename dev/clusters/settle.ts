// Waits until freshly started clusters have settled: for a minute or two after start, kube-apiserver
// keeps two cores busy with its own start-up work (measured here: a weight change's `pulumi up` took
// 2.2-3.1 s then, 1.9-2.0 s once settled). Timings meant to say what a user of long-running clusters
// waits for (bench/engine-live.ts) are taken after this.
import { readFileSync } from "node:fs";
import type { ProcessRecord } from "./processes.ts";

/** Linux's clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every Linux build that matters). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
    let stat: string;
    try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        return 0;
    }
    // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

export interface SettleOptions {
    /** Settled when the processes together use less than this share of one core over a window (default 0.1). */
    maxCoreShare?: number;
    windowMs?: number;
    /** How many windows in a row must be quiet (default 3): start-up work comes in bursts. */
    quietWindows?: number;
    timeoutMs?: number;
}

/**
 * Resolves with the time waited once `processes` together stay under `maxCoreShare` of a core for
 * `quietWindows` windows in a row; rejects after `timeoutMs`, naming the share last seen.
 */
export async function waitUntilSettled(processes: readonly ProcessRecord[], options: SettleOptions = {}): Promise<number> {
    const { maxCoreShare = 0.1, windowMs = 2000, quietWindows = 3, timeoutMs = 180_000 } = options;
    const started = Date.now();
    const total = () => processes.reduce((sum, p) => sum + cpuSeconds(p.pid), 0);
    let quiet = 0;
    for (;;) {
        const before = total();
        await new Promise((resolve) => setTimeout(resolve, windowMs));
        const share = (total() - before) / (windowMs / 1000);
        quiet = share < maxCoreShare ? quiet + 1 : 0;
        if (quiet >= quietWindows) {
            return Date.now() - started;
        }
        if (Date.now() - started > timeoutMs) {
            throw new Error(`the clusters did not settle within ${timeoutMs / 1000} s: still using ${(share * 100).toFixed(0)}% of a core`);
        }
    }
}
