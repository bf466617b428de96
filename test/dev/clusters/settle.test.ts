// dev/clusters/settle.ts reads CPU time from /proc: a busy child is seen as busy, an idle one settles.
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { cpuSeconds, waitUntilSettled } from "../../../dev/clusters/settle.ts";

const children: { kill: () => boolean }[] = [];

function child(script: string): number {
    const started = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
    children.push(started);
    return started.pid ?? -1;
}

function record(pid: number) {
    return { name: "test", command: [], log: "", pid };
}

afterEach(() => {
    children.splice(0).forEach((c) => c.kill());
});

describe("cpuSeconds", () => {
    it("grows while a process spins and is 0 for a process that does not exist", async () => {
        const pid = child("for (;;) {}");
        const before = cpuSeconds(pid);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(cpuSeconds(pid) - before).toBeGreaterThan(0.1);
        expect(cpuSeconds(2 ** 22 + 12345)).toBe(0);
    });
});

describe("waitUntilSettled", () => {
    it("returns for a process that sleeps, after the quiet windows asked for", async () => {
        const pid = child("setTimeout(() => {}, 60000)");
        await expect(waitUntilSettled([record(pid)], { windowMs: 300, quietWindows: 2, timeoutMs: 5000 })).resolves.toBeGreaterThanOrEqual(600);
    });

    it("waits out a burst: a process busy for a while, then asleep", async () => {
        const pid = child("const end = Date.now() + 700; while (Date.now() < end) {} setTimeout(() => {}, 60000)");
        await expect(waitUntilSettled([record(pid)], { windowMs: 300, quietWindows: 2, timeoutMs: 10_000 })).resolves.toBeGreaterThanOrEqual(1200);
    });

    it("gives up on a process that keeps a core busy, saying how busy", async () => {
        const pid = child("for (;;) {}");
        await expect(waitUntilSettled([record(pid)], { windowMs: 300, timeoutMs: 600 })).rejects.toThrow(/did not settle within 0.6 s: still using \d+% of a core/);
    });
});
