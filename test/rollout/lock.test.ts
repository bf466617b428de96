// One rollout per stack: a second one is refused while the first runs; a lock left by a killed rollout
// is taken over.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lockPath, RolloutLock, RolloutLockedError } from "../../tools/rollout/lock.ts";

describe("RolloutLock", () => {
    let dir: string;
    beforeEach(() => {
        dir = mkdtempSync(path.join(tmpdir(), "hwg-lock-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("is held by one process at a time, and released", () => {
        const lock = RolloutLock.acquire(dir, "prod");
        expect(JSON.parse(readFileSync(lockPath(dir, "prod"), "utf8"))).toMatchObject({ pid: process.pid, host: hostname() });
        expect(() => RolloutLock.acquire(dir, "prod")).toThrow(RolloutLockedError);
        expect(() => RolloutLock.acquire(dir, "prod")).toThrow(new RegExp(`^stack 'prod' is being rolled out by process ${process.pid} on ${hostname()} since `));
        RolloutLock.acquire(dir, "staging").release();
        lock.release();
        expect(existsSync(lockPath(dir, "prod"))).toBe(false);
        RolloutLock.acquire(dir, "prod").release();
    });

    it("takes over the lock of a rollout that was killed", () => {
        const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
        const deadPid = Number(gone.stdout);
        writeFileSync(lockPath(dir, "prod"), JSON.stringify({ pid: deadPid, host: hostname(), since: "2026-01-01T00:00:00Z" }));
        const lock = RolloutLock.acquire(dir, "prod");
        expect(JSON.parse(readFileSync(lockPath(dir, "prod"), "utf8"))).toMatchObject({ pid: process.pid });
        lock.release();
    });

    it("never takes over a lock held on another machine", () => {
        writeFileSync(lockPath(dir, "prod"), JSON.stringify({ pid: 1, host: "runner-elsewhere", since: "2026-01-01T00:00:00Z" }));
        expect(() => RolloutLock.acquire(dir, "prod")).toThrow(/being rolled out by process 1 on runner-elsewhere/);
    });
});
