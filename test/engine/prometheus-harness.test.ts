// The tests' Prometheus goes with the test process that started it, even when nothing called stop():
// an afterAll that threw before it once left two servers running for the rest of the day.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { prometheusAvailable } from "../../harness/prometheus-server.ts";

const HARNESS = fileURLToPath(new URL("../../harness/prometheus-server.ts", import.meta.url));

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

it("is killed by pid, and its folder removed, when the process that started it exits without stop()", async () => {
    expect(prometheusAvailable(), "prometheus is not on PATH: apt-get install prometheus (see .ci/run)").toBe(true);
    const script = `const { startPrometheus } = await import(${JSON.stringify(HARNESS)});
const server = await startPrometheus([]);
console.log(JSON.stringify({ pid: server.pid, dir: server.dir }));
process.exit(0);`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const { pid, dir } = JSON.parse(run.stdout.trim()) as { pid: number; dir: string };
    // SIGKILL is sent as the process exits; the kernel takes a moment to end the server.
    for (let waited = 0; alive(pid) && waited < 5000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([alive(pid), existsSync(dir)]).toEqual([false, false]);
});
