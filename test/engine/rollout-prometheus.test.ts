// The canary-health queries against a real Prometheus (in the engine suite, which has the external
// binaries: Prometheus comes from Debian's package, see .ci/run), in both metric sources: Istio's
// standard metrics and the gateway Envoy's per-subset cluster stats. Two Services share the namespace,
// as in any real one: helloworld, whose canary is judged, and greeter, whose v2 fails. The figures
// must be each Service's own, so greeter's v2 cannot change helloworld's verdict. A third, fresh, has
// its first requests inside the window: its series are born there, already counting.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeHealth } from "../../tools/rollout/analysis.ts";
import { chooseMetricsSource, type MetricsChoiceGiven, PrometheusError, queryHealth, type MetricsSource, type ServiceTarget } from "../../tools/rollout/prometheus.ts";
import { EnvoyClusterStats, envoyClusterName } from "../../harness/envoy-cluster-stats.ts";
import { IstioMetrics } from "../../harness/istio-metrics.ts";
import { prometheusAvailable, startPrometheus, type PrometheusServer } from "../../harness/prometheus-server.ts";
import { startTestIngress, type TestIngress } from "../../harness/test-ingress.ts";
import { virtualServiceYaml } from "../rollout/virtual-service-file.ts";

const service = (name: string, namespace = "gray-demo"): ServiceTarget => ({ namespace, host: `${name}.${namespace}.svc.cluster.local`, port: 5000 });
const HELLOWORLD = service("helloworld");
const GREETER = service("greeter");
/** A Service whose gateway has no Istio stats filter: only Envoy's cluster stats name it. */
const EDGE = service("edge");
/** A Service whose canary had no request before the window: every series of it is born inside. */
const FRESH = service("fresh");
/** `auto`, as the stack's default gives it. */
const AUTO: MetricsChoiceGiven = { option: "auto", from: "stack" };

describe("canary health from Prometheus", () => {
    let dir: string;
    let helloworld: TestIngress;
    let greeter: TestIngress;
    let edge: http.Server;
    let fresh: http.Server;
    let prometheus: PrometheusServer;
    let windowStart: number;
    let windowMs: () => number;

    beforeAll(async () => {
        expect(prometheusAvailable(), "prometheus is not on PATH: apt-get install prometheus (see .ci/run)").toBe(true);
        dir = mkdtempSync(path.join(tmpdir(), "hwg-prom-test-"));
        const file = path.join(dir, "vs.yaml");
        writeFileSync(file, virtualServiceYaml({ v1: 50, v2: 50 }));
        helloworld = await startTestIngress({ virtualServiceFile: file });
        greeter = await startTestIngress({
            virtualServiceFile: file,
            app: "greeter",
            // greeter's v2: 1 in 10 answers 503, 1 in 20 takes 700 ms; its v1 is healthy.
            faults: (version) => (version === "v2" ? { errorRate: 0.1, slowRate: 0.05, slowMs: 700 } : undefined),
        });
        const edgeStats = new EnvoyClusterStats();
        edgeStats.record(envoyClusterName(5000, "v1", EDGE.host), 200, 3);
        edge = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(edgeStats.text()));
        await new Promise<void>((resolve) => edge.listen(0, "127.0.0.1", resolve));
        const freshMetrics = new IstioMetrics();
        fresh = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(freshMetrics.text()));
        await new Promise<void>((resolve) => fresh.listen(0, "127.0.0.1", resolve));
        prometheus = await startPrometheus([
            new URL(helloworld.metricsUrl).host, new URL(greeter.metricsUrl).host,
            `127.0.0.1:${(edge.address() as AddressInfo).port}`, `127.0.0.1:${(fresh.address() as AddressInfo).port}`,
        ]);
        const send = (ingress: TestIngress, count: number) => Promise.all(Array.from({ length: 8 }, async () => {
            for (let i = 0; i < count / 8; i++) {
                await fetch(ingress.url).then((r) => r.text());
            }
        }));
        // Traffic before the window, which the window's figures must leave out.
        await Promise.all([send(helloworld, 200), send(greeter, 200)]);
        await sleep(600);
        windowStart = Date.now();
        // fresh's canary: 20 requests between two scrapes, 2 of them 503, as a proxy reports a new
        // version's first answers: its series appear at 18 and 2, never at 0.
        for (let i = 0; i < 20; i++) {
            for (const reporter of ["source", "destination"] as const) {
                freshMetrics.record({ reporter, namespace: FRESH.namespace, app: "fresh", version: "v2", cluster: "mdemo-cluster1", code: i % 10 === 9 ? 503 : 200, durationMs: 4 });
            }
        }
        await Promise.all([send(helloworld, 800), send(greeter, 800)]);
        await sleep(600); // two scrapes after the last request
        windowMs = () => Date.now() - windowStart;
    }, 60_000);
    afterAll(async () => {
        await prometheus?.stop();
        await helloworld?.close();
        await greeter?.close();
        await new Promise((resolve) => edge?.close(resolve));
        await new Promise((resolve) => fresh?.close(resolve));
        rmSync(dir, { recursive: true, force: true });
    });

    describe.each<MetricsSource>(["istio", "envoy"])("from %s metrics", (source) => {
        const health = (target: ServiceTarget, version: string) =>
            queryHealth({ prometheus: new URL(prometheus.url), source, service: target, version, windowMs: windowMs() });

        it("reads each version's requests, success rate and p99 over the window", async () => {
            const v1 = await health(GREETER, "v1");
            const v2 = await health(GREETER, "v2");
            // 800 requests in the window, about half each, each counted once: the last scrape before
            // the window came after the warm-up's last request, the last one after the window's.
            expect(v1.requests + v2.requests).toBe(800);
            expect(v1.successRate).toBe(100);
            expect(v2.successRate).toBeGreaterThan(80);
            expect(v2.successRate).toBeLessThan(97);
            expect(v1.p99Ms).toBeLessThan(250); // no delay; a busy machine still adds milliseconds
            expect(v2.p99Ms).toBeGreaterThan(500);
        });

        it("judges helloworld's canary on helloworld's requests alone: greeter's failing v2 changes nothing", async () => {
            const v2 = await health(HELLOWORLD, "v2");
            // About 400; with greeter's v2 counted in, about 800.
            expect(v2.requests).toBeGreaterThan(300);
            expect(v2.requests).toBeLessThan(500);
            expect(v2.successRate).toBe(100);
            expect(v2.p99Ms).toBeLessThan(250);
            const limits = { minSuccessRate: 99, maxP99Ms: 500 };
            expect(judgeHealth({ ...v2, windowSeconds: 1 }, "v2", limits)).toBeUndefined();
            // The same limits fail greeter's v2, in the same namespace and Prometheus.
            expect(judgeHealth({ ...await health(GREETER, "v2"), windowSeconds: 1 }, "v2", limits)?.check).toBe("success rate");
        });

        it("counts the requests of series born inside the window, from zero (increase() would count none)", async () => {
            expect(await health(FRESH, "v2")).toEqual({ requests: 20, successRate: 90, p99Ms: expect.any(Number) });
        });

        it("counts nothing for a Service without traffic, nor for the same name in another namespace", async () => {
            expect(await health(service("nobody"), "v2")).toEqual({ requests: 0, successRate: null, p99Ms: null });
            expect(await health(service("helloworld", "elsewhere"), "v2")).toEqual({ requests: 0, successRate: null, p99Ms: null });
        });
    });

    it("auto: takes Istio's metrics when Prometheus has them for the Service", async () => {
        expect(await chooseMetricsSource(new URL(prometheus.url), AUTO, HELLOWORLD)).toEqual({
            source: "istio", reason: "auto: Prometheus has istio_requests_total series for helloworld.gray-demo.svc.cluster.local",
        });
    });

    it("auto: takes the gateway's Envoy stats when only they name the Service", async () => {
        expect(await chooseMetricsSource(new URL(prometheus.url), AUTO, EDGE)).toEqual({
            source: "envoy",
            reason: "auto: Prometheus has no istio_requests_total series for edge.gray-demo.svc.cluster.local, " +
                "but has envoy_cluster_upstream_rq series for the clusters outbound|5000|<subset>|edge.gray-demo.svc.cluster.local",
        });
    });

    it("auto: refuses a Service Prometheus knows nothing of", async () => {
        await expect(chooseMetricsSource(new URL(prometheus.url), AUTO, service("nobody"))).rejects.toThrow(new PrometheusError(
            `Prometheus at ${new URL(prometheus.url).href} has neither istio_requests_total series for nobody.gray-demo.svc.cluster.local ` +
            "nor envoy_cluster_upstream_rq series for the clusters outbound|5000|<subset>|nobody.gray-demo.svc.cluster.local: " +
            "check that it scrapes the mesh's proxies and that the Service has had traffic, or choose the source with --metrics istio|envoy"));
    });

    it("fails with one line when Prometheus cannot be reached", async () => {
        await expect(queryHealth({ prometheus: new URL("http://127.0.0.1:9"), source: "istio", service: HELLOWORLD, version: "v2", windowMs: 1000 }))
            .rejects.toThrow(new PrometheusError("cannot query Prometheus at http://127.0.0.1:9/: connection refused"));
    });
});
