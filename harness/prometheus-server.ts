// A real Prometheus (Debian's package, or one on PATH) for the tests: a temporary config scraping the
// given targets at a short interval, temporary storage, a free port on 127.0.0.1. stop() kills it by
// pid and removes its folder.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface PrometheusServer {
    url: string;
    /** The server's process and folder, which stop() (or the test process's exit) removes. */
    pid: number;
    dir: string;
    /** Kills the server (SIGTERM, then SIGKILL) and removes its storage; safe to call twice. */
    stop(): Promise<void>;
}

/** True when a `prometheus` binary is on PATH. */
export function prometheusAvailable(): boolean {
    return spawnSync("prometheus", ["--version"], { stdio: "ignore" }).status === 0;
}

export async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

/**
 * A target with labels its scrape adds to every series, as a multi-cluster set-up labels each
 * cluster's proxies (`cluster: <name>`), since their own stats do not say where they run.
 */
export interface LabelledTarget {
    address: string;
    labels: Record<string, string>;
}

/** `metricsPath`: where the targets serve their metrics (pilot-agent's merged stats: /stats/prometheus). */
export async function startPrometheus(targets: (string | LabelledTarget)[], scrapeInterval = "250ms", metricsPath = "/metrics"): Promise<PrometheusServer> {
    const dir = mkdtempSync(path.join(tmpdir(), "hwg-prometheus-"));
    const config = path.join(dir, "prometheus.yml");
    writeFileSync(config, [
        "global:",
        `  scrape_interval: ${scrapeInterval}`,
        `  scrape_timeout: ${scrapeInterval}`,
        "scrape_configs:",
        "  - job_name: istio-mesh",
        `    metrics_path: ${metricsPath}`,
        "    static_configs:",
        ...targets.map((t) => (typeof t === "string"
            ? `      - targets: [${JSON.stringify(t)}]`
            : `      - targets: [${JSON.stringify(t.address)}]\n        labels: ${JSON.stringify(t.labels)}`)),
        "",
    ].join("\n"));
    const port = await freePort();
    const child: ChildProcess = spawn("prometheus", [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
    ], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr?.on("data", (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-4000);
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    // A test process that ends without stop() (a hook that threw first, a killed worker) takes its
    // Prometheus with it, by pid, and its folder.
    const onExit = () => {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
            process.kill(child.pid, "SIGKILL");
        }
        rmSync(dir, { recursive: true, force: true });
    };
    process.once("exit", onExit);
    let stopped = false;
    const stop = async () => {
        if (!stopped) {
            stopped = true;
            process.off("exit", onExit);
            if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
                process.kill(child.pid, "SIGTERM");
                const killer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, "SIGKILL"), 5000);
                await exited;
                clearTimeout(killer);
            }
            rmSync(dir, { recursive: true, force: true });
        }
    };
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) {
            await stop();
            throw new Error(`prometheus exited ${child.exitCode}: ${log}`);
        }
        if (await scrapedAll(url, targets.length)) {
            return { url, pid: child.pid as number, dir, stop };
        }
        await sleep(100);
    }
    await stop();
    throw new Error(`prometheus did not scrape its targets within 30 s: ${log}`);
}

/**
 * Ready means every target was scraped once: Prometheus starts scraping only at its scrape manager's
 * first reload, seconds after /-/ready, and a test's window must not begin before that.
 */
async function scrapedAll(url: string, targets: number): Promise<boolean> {
    return await queryNumber(url, "count(up == 1)") === targets;
}

/** The first value of an instant query's answer; 0 when it has none, or Prometheus does not answer yet. */
async function queryNumber(url: string, promql: string): Promise<number> {
    try {
        const answer = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
        const body = await answer.json() as { data?: { result?: Array<{ value: [number, string] }> } };
        return Number(body.data?.result?.[0]?.value[1] ?? 0);
    } catch {
        return 0;
    }
}

/** Waits until `promql` (a count) is above 0: the series a check needs have been scraped at least once. */
export async function waitForSeries(url: string, promql: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (await queryNumber(url, promql) > 0) {
            return;
        }
        if (Date.now() > deadline) {
            throw new Error(`Prometheus at ${url} has no series for ${promql} after ${timeoutMs / 1000} s`);
        }
        await sleep(200);
    }
}
