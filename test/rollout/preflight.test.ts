// Before its first step the rollout checks that the ingress and Prometheus answer: when either does
// not, it exits 2 with one line naming it, and nothing is applied. The rollout runs as the user runs
// it, with no Pulumi CLI on PATH: a rollout that went on to its first step would fail another way.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { lockPath } from "../../tools/rollout/lock.ts";
import { devStackConfig, PROJECT_DIR } from "../support/dev-stack.ts";
import { freePort } from "../../harness/prometheus-server.ts";

function rollout(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [path.join(PROJECT_DIR, "tools/rollout.ts"), ...args], {
            cwd, timeout: 20_000, env: { ...process.env, PATH: path.dirname(process.execPath) },
        }, (err, stdout, stderr) => {
            resolve({ code: typeof err?.code === "number" ? err.code : 0, stdout, stderr });
        });
    });
}

async function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

describe("npm run rollout, before the first step", () => {
    let dir: string;
    let stackText: string;
    /** Answers every request 404: an answer all the same. */
    let ingress: Awaited<ReturnType<typeof listen>>;
    /** Prometheus's query API with no series at all: `vector(1)` answers, every count is empty. */
    let emptyPrometheus: Awaited<ReturnType<typeof listen>>;
    let nowhere: string;

    beforeAll(async () => {
        dir = mkdtempSync(path.join(tmpdir(), "hwg-rollout-preflight-"));
        const raw = devStackConfig();
        raw.service = { name: "greeter", port: 8080, portName: "http-8080" };
        stackText = stringify({ config: Object.fromEntries(Object.entries(raw).map(([k, v]) => [`helloworld-grayscale:${k}`, v])) });
        writeFileSync(path.join(dir, "Pulumi.prod.yaml"), stackText);
        ingress = await listen((_req, res) => res.writeHead(404).end("no route\n"));
        emptyPrometheus = await listen((req, res) => {
            const query = new URL(req.url ?? "/", "http://x").searchParams.get("query");
            const result = query === "vector(1)" ? [{ metric: {}, value: [Date.now() / 1000, "1"] }] : [];
            res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "success", data: { resultType: "vector", result } }));
        });
        nowhere = `http://127.0.0.1:${await freePort()}`;
    });
    afterAll(async () => {
        await ingress?.close();
        await emptyPrometheus?.close();
        rmSync(dir, { recursive: true, force: true });
    });

    const base = ["--stack", "prod", "--to", "v2", "--pause", "1s"];
    const unchanged = "nothing was changed (the stack stays at v1 80 / v2 20)";

    it.each([
        ["an ingress that does not answer", () => [...base, "--url", `${nowhere}/hello`],
            () => `rollout: the ingress at ${nowhere}/hello does not answer: connection refused; ${unchanged}`],
        ["an https URL for an ingress that speaks plain HTTP", () => [...base, "--url", `${ingress.url.replace(/^http:/, "https:")}/hello`],
            () => `rollout: the ingress at ${ingress.url.replace(/^http:/, "https:")}/hello answered in plain HTTP (TLS handshake failed): use http://; ${unchanged}`],
        ["a Prometheus that does not answer (the ingress's 404 is an answer)", () => [...base, "--url", `${ingress.url}/hello`, "--prometheus", nowhere],
            () => `rollout: cannot query Prometheus at ${nowhere}/: connection refused; ${unchanged}`],
        ["neither", () => [...base, "--url", `${nowhere}/hello`, "--prometheus", nowhere],
            () => `rollout: the ingress at ${nowhere}/hello does not answer: connection refused; cannot query Prometheus at ${nowhere}/: connection refused; ${unchanged}`],
        ["a Prometheus without the Service's metrics (auto)", () => [...base, "--url", `${ingress.url}/hello`, "--prometheus", emptyPrometheus.url],
            () => `rollout: Prometheus at ${emptyPrometheus.url}/ has neither istio_requests_total series for greeter.gray-demo.svc.cluster.local ` +
                "nor envoy_cluster_upstream_rq series for the clusters outbound|8080|<subset>|greeter.gray-demo.svc.cluster.local: " +
                `check that it scrapes the mesh's proxies and that the Service has had traffic, or choose the source with --metrics istio|envoy; ${unchanged}`],
    ])("%s: exit 2, one line, nothing applied", async (_label, args, message) => {
        const { code, stdout, stderr } = await rollout(dir, args());
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr).toBe(`${message()}\n`);
        expect(readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8")).toBe(stackText);
        expect(existsSync(lockPath(dir, "prod"))).toBe(false);
    });

    it("takes the metrics source from the stack's rollout.analysis.metrics, and says so", async () => {
        const raw = devStackConfig();
        raw.rollout = { analysis: { metrics: "envoy" } };
        writeFileSync(path.join(dir, "Pulumi.envoy.yaml"), stringify({ config: Object.fromEntries(Object.entries(raw).map(([k, v]) => [`helloworld-grayscale:${k}`, v])) }));
        // No pulumi on PATH: the run stops at its first update, after the start event that names the source.
        const { stdout } = await rollout(dir, ["--stack", "envoy", "--to", "v2", "--pause", "1s", "--url", `${ingress.url}/hello`,
            "--prometheus", emptyPrometheus.url, "--json"]);
        const start = stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as { event: string; metrics?: unknown })
            .find((e) => e.event === "start");
        expect(start?.metrics).toEqual({ source: "envoy", reason: "the stack's rollout.analysis.metrics: envoy" });
    });

    it("without the Pulumi CLI on PATH: exit 2, saying to install it, that nothing changed, and nothing about resuming", async () => {
        const { code, stderr } = await rollout(dir, [...base, "--url", `${ingress.url}/hello`]);
        expect(code).toBe(2);
        const last = stderr.trimEnd().split("\n").at(-1);
        expect(last).toBe("rollout: the Pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) " +
            `or add the folder that holds \`pulumi\` to PATH, then run the rollout again; ${unchanged}`);
        expect(stderr).not.toContain("resume");
        expect(readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8")).toBe(stackText);
        expect(existsSync(lockPath(dir, "prod"))).toBe(false);
    });

    it("reports only the end of the run with --json: no step was applied", async () => {
        const { code, stdout } = await rollout(dir, [...base, "--url", `${ingress.url}/hello`, "--prometheus", nowhere, "--json"]);
        expect(code).toBe(2);
        const events = stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { event: string });
        expect(events).toEqual([expect.objectContaining({ event: "done", outcome: "error", exitCode: 2, rows: [] })]);
    });
});
