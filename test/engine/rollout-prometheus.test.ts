// The canary-health queries against a real Prometheus scraping the test ingress (in the engine suite, which
// has the external binaries: Prometheus comes from Debian's package, see .ci/run): the figures must be
// the ones the traffic had, from the destination side only (reporter="destination").
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthQueries, PrometheusError, queryHealth } from "../../tools/rollout/prometheus.ts";
import { prometheusAvailable, startPrometheus, type PrometheusServer } from "../rollout/prometheus-server.ts";
import { startTestIngress, type TestIngress } from "../../harness/test-ingress.ts";
import { virtualServiceYaml } from "../rollout/virtual-service-file.ts";

describe("canary health from Prometheus", () => {
    let dir: string;
    let ingress: TestIngress;
    let prometheus: PrometheusServer;
    let windowStart: number;

    beforeAll(async () => {
        expect(prometheusAvailable(), "prometheus is not on PATH: apt-get install prometheus (see .ci/run)").toBe(true);
        dir = mkdtempSync(path.join(tmpdir(), "hwg-prom-test-"));
        const file = path.join(dir, "vs.yaml");
        writeFileSync(file, virtualServiceYaml({ v1: 50, v2: 50 }));
        ingress = await startTestIngress({
            virtualServiceFile: file,
            // v2: 1 in 10 answers 503, 1 in 20 takes 700 ms; v1 is healthy.
            faults: (version) => (version === "v2" ? { errorRate: 0.1, slowRate: 0.05, slowMs: 700 } : undefined),
        });
        prometheus = await startPrometheus([new URL(ingress.metricsUrl).host]);
        const send = (count: number) => Promise.all(Array.from({ length: 8 }, async () => {
            for (let i = 0; i < count / 8; i++) {
                await fetch(ingress.url).then((r) => r.text());
            }
        }));
        // A series counts from its first scrape, as in any mesh: let every series exist before the window.
        await send(200);
        await sleep(600);
        windowStart = Date.now();
        await send(800);
        await sleep(600); // two scrapes after the last request
    }, 60_000);
    afterAll(async () => {
        await prometheus?.stop();
        await ingress?.close();
        rmSync(dir, { recursive: true, force: true });
    });

    it("reads each version's requests, success rate and p99 over the window", async () => {
        const health = await queryHealth({ prometheus: new URL(prometheus.url), namespace: "gray-demo", windowMs: Date.now() - windowStart + 1000 });
        const v1 = health.get("v1");
        const v2 = health.get("v2");
        // 800 requests, about half each; increase() extrapolates, so allow a little either way.
        expect((v1?.requests ?? 0) + (v2?.requests ?? 0)).toBeGreaterThan(650);
        expect((v1?.requests ?? 0) + (v2?.requests ?? 0)).toBeLessThan(950);
        expect(v1?.successRate).toBe(100);
        expect(v2?.successRate).toBeGreaterThan(80);
        expect(v2?.successRate).toBeLessThan(97);
        expect(v1?.p99Ms).toBeLessThan(250); // no delay; a busy machine still adds milliseconds
        expect(v2?.p99Ms).toBeGreaterThan(500);
    });

    it("counts nothing for a namespace without traffic", async () => {
        const health = await queryHealth({ prometheus: new URL(prometheus.url), namespace: "elsewhere", windowMs: 60_000 });
        expect(health.size).toBe(0);
    });

    it("asks with Istio's labels, Flagger-style", () => {
        expect(healthQueries("gray-demo", 30_000)).toEqual({
            requests: 'sum by (destination_version) (increase(istio_requests_total{reporter="destination",destination_workload_namespace="gray-demo"}[30000ms]))',
            successes: 'sum by (destination_version) (increase(istio_requests_total{reporter="destination",destination_workload_namespace="gray-demo",response_code!~"5.*"}[30000ms]))',
            p99: 'histogram_quantile(0.99, sum by (destination_version, le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="gray-demo"}[30000ms])))',
        });
    });

    it("fails with one line when Prometheus cannot be reached", async () => {
        await expect(queryHealth({ prometheus: new URL("http://127.0.0.1:9"), namespace: "gray-demo", windowMs: 1000 }))
            .rejects.toThrow(new PrometheusError("cannot query Prometheus at http://127.0.0.1:9/: ECONNREFUSED"));
    });
});
