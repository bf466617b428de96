import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isRunning, killNow, type ProcessRecord, startProcess, stopProcesses } from "../../../dev/clusters/processes.ts";

const SLEEP = "/bin/sleep";

describe("the local clusters' processes", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hwg-processes-"));
    const started: ProcessRecord[] = [];
    afterAll(() => {
        killNow(started);
        rmSync(dir, { recursive: true, force: true });
    });

    it("starts a process detached, with its output in the log, and stops it by pid", async () => {
        const record = startProcess("sleeper", [SLEEP, "60"], path.join(dir, "sleeper.log"));
        started.push(record);
        expect(isRunning(record)).toBe(true);
        await stopProcesses([record]);
        expect(isRunning(record)).toBe(false);
    });

    it("kills what ignores SIGTERM once the grace period is over", async () => {
        const record = startProcess("stubborn", ["/bin/sh", "-c", "trap '' TERM; sleep 60 & wait"], path.join(dir, "stubborn.log"));
        started.push(record);
        await stopProcesses([record], 300);
        expect(isRunning(record)).toBe(false);
    });

    it("leaves alone a pid that now runs another binary (a reused pid)", async () => {
        const other = spawn(SLEEP, ["60"], { stdio: "ignore" });
        try {
            const stale: ProcessRecord = { name: "etcd", command: ["/nonexistent/etcd"], log: "", pid: other.pid ?? -1 };
            expect(isRunning(stale)).toBe(false);
            await stopProcesses([stale], 100);
            expect(other.exitCode).toBeNull();
            expect(other.signalCode).toBeNull();
        } finally {
            other.kill("SIGKILL");
        }
    });

    it("refuses to start a binary that is not there", () => {
        expect(() => startProcess("ghost", [path.join(dir, "missing")], path.join(dir, "ghost.log"))).toThrow(/ENOENT/);
    });
});
