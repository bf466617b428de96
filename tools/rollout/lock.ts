// One rollout per stack at a time. Pulumi's stack lock is held only while an update runs, not during a
// step's pause, when a second rollout would move the weights under the first one's analysis; so the
// rollout holds a lock of its own, a file beside the stack file, for its whole run. A lock left by a
// rollout that was killed (its process is gone) is taken over.
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

/** Another rollout of the stack is running: nothing was changed (a tool error). */
export class RolloutLockedError extends Error {
    override name = "RolloutLockedError";
}

interface Holder {
    pid: number;
    host: string;
    since: string;
}

export function lockPath(projectDir: string, stack: string): string {
    return path.join(projectDir, `Pulumi.${stack}.rollout.lock`);
}

export class RolloutLock {
    private readonly file: string;

    private constructor(file: string) {
        this.file = file;
    }

    static acquire(projectDir: string, stack: string): RolloutLock {
        const file = lockPath(projectDir, stack);
        const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
        for (let attempt = 0; attempt < 2; attempt++) {
            try {
                writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: "wx" });
                return new RolloutLock(file);
            } catch (err) {
                if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
                    throw err;
                }
            }
            const holder = readHolder(file);
            if (holder !== undefined && !(holder.host === me.host && !isAlive(holder.pid))) {
                throw new RolloutLockedError(`stack '${stack}' is being rolled out by process ${holder.pid} on ${holder.host} since ${holder.since}; ` +
                    `wait for it to finish (or delete ${file} if that process is gone)`);
            }
            unlinkSync(file);
        }
        throw new RolloutLockedError(`stack '${stack}': another rollout took ${file} at the same moment; wait for it to finish`);
    }

    /** Removes the lock, if it is still this process's. */
    release(): void {
        if (readHolder(this.file)?.pid === process.pid) {
            unlinkSync(this.file);
        }
    }
}

function readHolder(file: string): Holder | undefined {
    try {
        return JSON.parse(readFileSync(file, "utf8")) as Holder;
    } catch {
        return undefined;
    }
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}
