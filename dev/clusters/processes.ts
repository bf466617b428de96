// The long-running processes of the local clusters: started detached (their own process group, output
// to a log file), so that `scripts/clusters start` can exit and leave them running, and stopped by pid
// only, after checking that the pid still runs the binary that was started (a pid is reused once its
// process is gone).
import { spawn } from "node:child_process";
import { accessSync, closeSync, constants, openSync, readFileSync } from "node:fs";

export interface ProcessRecord {
    /** What it is, e.g. "kube-apiserver". */
    name: string;
    /** The binary's absolute path and its arguments: enough to start it again. */
    command: string[];
    log: string;
    pid: number;
}

/** What a process is started with beside its command; unset, it inherits this process's. */
export interface StartOptions {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
}

export function startProcess(name: string, command: string[], log: string, options: StartOptions = {}): ProcessRecord {
    const [file, ...args] = command;
    if (file === undefined) {
        throw new Error(`${name}: empty command`);
    }
    // spawn() reports a missing binary as an asynchronous 'error' event; find out before starting anything.
    accessSync(file, constants.X_OK);
    const out = openSync(log, "a");
    try {
        const child = spawn(file, args, { detached: true, stdio: ["ignore", out, out], ...options });
        // An error after the start (e.g. the process could not be signalled) is seen through isRunning().
        child.on("error", () => undefined);
        if (child.pid === undefined) {
            throw new Error(`${name}: could not start ${file}`);
        }
        child.unref();
        return { name, command, log, pid: child.pid };
    } finally {
        closeSync(out);
    }
}

/** True while `pid` runs the record's binary. */
export function isRunning(record: ProcessRecord): boolean {
    try {
        const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, "utf8");
        const stat = readFileSync(`/proc/${record.pid}/stat`, "utf8");
        // A zombie has exited: only its parent has not collected it yet.
        const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
        return cmdline.split("\0")[0] === record.command[0] && state !== "Z";
    } catch {
        return false;
    }
}

/** The last lines of a process's log, for error messages. */
export function logTail(record: ProcessRecord, lines = 15): string {
    try {
        return readFileSync(record.log, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
        return "(no log)";
    }
}

/**
 * SIGTERM, then SIGKILL for what is still running after `graceMs`. Resolves when every process is
 * gone; a record whose pid no longer runs its binary is skipped.
 */
export async function stopProcesses(records: ProcessRecord[], graceMs = 5_000): Promise<void> {
    const running = records.filter(isRunning);
    for (const record of running) {
        signal(record.pid, "SIGTERM");
    }
    const deadline = Date.now() + graceMs;
    while (running.some(isRunning) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const stubborn = running.filter(isRunning);
    for (const record of stubborn) {
        signal(record.pid, "SIGKILL");
    }
    while (stubborn.some(isRunning)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

/** Signals each pid; one that is gone already is skipped. */
export function signalPids(pids: number[], name: NodeJS.Signals): void {
    for (const pid of pids) {
        signal(pid, name);
    }
}

function signal(pid: number, name: NodeJS.Signals): void {
    try {
        process.kill(pid, name);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ESRCH") {
            throw err;
        }
    }
}

/** SIGKILL at once, synchronously (for an exit handler, where nothing asynchronous runs any more). */
export function killNow(records: ProcessRecord[]): void {
    for (const record of records.filter(isRunning)) {
        signal(record.pid, "SIGKILL");
    }
}
