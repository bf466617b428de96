// A stand-in for an Istio ingress gateway in front of helloworld, on 127.0.0.1: it routes every request
// by the VirtualService the Kubernetes provider just rendered (re-read whenever the file changes), as
// Envoy does: the first http route whose header match holds (exact, prefix or regex; testers and
// sticky users), else the weighted split, whose mirror gets a copy of that share of its requests
// (answer dropped); to one local helloworld-like server per version, and exports Istio's standard
// metrics on /metrics. Faults are set per version, so a test can make the canary fail or slow down.
import { readFileSync, watch, type FSWatcher } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parse } from "yaml";
import { evenShare, type Fault } from "../dev/dataplane/faults.ts";
import { IstioMetrics } from "./istio-metrics.ts";

export type Weights = Record<string, number>;

export interface TestIngressOptions {
    /** The VirtualService YAML the provider writes in render mode. */
    virtualServiceFile: string;
    namespace?: string;
    app?: string;
    /** The cluster each version runs in (the metrics' destination_cluster). */
    clusters?: Record<string, string>;
    /**
     * The cluster this gateway runs in (the metrics' source_cluster), for one stand-in gateway per
     * cluster, each routing by its own cluster's VirtualService. Defaults to the version's cluster.
     */
    gatewayCluster?: string;
    /** Faults by version, decided from the weights routed by; none by default. */
    faults?: (version: string, weights: Weights) => Fault | undefined;
    /** Route by these weights whatever the VirtualService says: an ingress that ignores the rollout. */
    fixedWeights?: Weights;
}

export interface TestIngress {
    /** The sample's /hello behind the ingress. */
    url: string;
    /** Where Prometheus scrapes. */
    metricsUrl: string;
    /** The weights requests are routed by now. */
    weights(): Weights;
    close(): Promise<void>;
}

/** A header condition of a route's match, as Istio writes it (a regex matches the whole value, as RE2 in Envoy). */
type StringMatch = { exact: string } | { prefix: string } | { regex: string };

/** One http route of a rendered VirtualService, as the stand-in follows it. */
export interface HttpRouteRule {
    /** Any of these, each requiring all its headers; absent, every request. */
    match?: Array<{ headers?: Record<string, StringMatch> }>;
    /** Subset to weight (a route's one destination without a weight takes all). */
    weights: Weights;
    /** The subset that gets a copy of `percent` of the route's requests. */
    mirror?: { subset: string; percent: number };
}

interface RenderedHttpRoute {
    match?: HttpRouteRule["match"];
    route: Array<{ destination: { subset: string }; weight?: number }>;
    mirror?: { subset: string };
    mirrorPercentage?: { value: number };
}

/** `spec.http` of a rendered VirtualService, in order. */
export function virtualServiceRoutes(file: string): HttpRouteRule[] {
    const vs = parse(readFileSync(file, "utf8")) as { spec: { http: RenderedHttpRoute[] } };
    return vs.spec.http.map((http) => ({
        ...(http.match === undefined ? {} : { match: http.match }),
        weights: Object.fromEntries(http.route.map((r) => [r.destination.subset, r.weight ?? (http.route.length === 1 ? 100 : 0)])),
        // Istio mirrors all of the route's requests when mirrorPercentage is left out.
        ...(http.mirror === undefined ? {} : { mirror: { subset: http.mirror.subset, percent: http.mirrorPercentage?.value ?? 100 } }),
    }));
}

/** The weighted split of a rendered VirtualService (its route without a match), as subset -> weight. */
export function virtualServiceWeights(file: string): Weights {
    return splitOf(virtualServiceRoutes(file)).weights;
}

function splitOf(routes: HttpRouteRule[]): HttpRouteRule {
    return routes.find((r) => r.match === undefined) ?? { weights: {} };
}

/** The route a request takes: the first whose match holds for its headers. */
export function routeFor(routes: HttpRouteRule[], headers: http.IncomingHttpHeaders): HttpRouteRule | undefined {
    const value = (name: string) => {
        const v = headers[name];
        return Array.isArray(v) ? v.join(name === "cookie" ? "; " : ",") : v;
    };
    const holds = (condition: StringMatch, actual: string | undefined) => actual !== undefined && (
        "exact" in condition ? actual === condition.exact : "prefix" in condition ? actual.startsWith(condition.prefix) : new RegExp(`^(?:${condition.regex})$`).test(actual));
    return routes.find((r) => r.match === undefined
        || r.match.some((m) => Object.entries(m.headers ?? {}).every(([name, condition]) => holds(condition, value(name)))));
}

export async function startTestIngress(options: TestIngressOptions): Promise<TestIngress> {
    const namespace = options.namespace ?? "gray-demo";
    const app = options.app ?? "helloworld";
    const metrics = new IstioMetrics();
    const source = options.gatewayCluster === undefined ? {} : { sourceCluster: options.gatewayCluster };
    let routes = virtualServiceRoutes(options.virtualServiceFile);
    const reread = () => {
        try {
            routes = virtualServiceRoutes(options.virtualServiceFile);
        } catch {
            // Caught mid-write: the next change event re-reads it.
        }
    };
    // The provider rewrites the file; watching the folder sees a rename as well as an in-place write.
    const watcher: FSWatcher = watch(path.dirname(options.virtualServiceFile), (_event, file) => {
        if (file === null || file === path.basename(options.virtualServiceFile)) {
            reread();
        }
    });
    /** The weighted split's weights (faults are decided by them). */
    const routing = () => options.fixedWeights ?? splitOf(routes).weights;
    const servers = new Map<string, Promise<VersionServer>>();
    const backend = (version: string) => {
        let server = servers.get(version);
        if (server === undefined) {
            server = startVersionServer(version, {
                record: (code, durationMs) => metrics.record({ reporter: "destination", namespace, app, version, cluster: options.clusters?.[version] ?? "unknown", ...source, code, durationMs }),
                fault: () => options.faults?.(version, routing()),
            });
            servers.set(version, server);
        }
        return server;
    };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

    const ingress = http.createServer((req, res) => {
        if (req.url === "/metrics") {
            res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(metrics.text());
            return;
        }
        const started = performance.now();
        const route: HttpRouteRule | undefined = options.fixedWeights === undefined ? routeFor(routes, req.headers) : { weights: options.fixedWeights };
        const version = route === undefined ? undefined : pick(route.weights);
        const mirror = route?.mirror;
        if (mirror !== undefined && Math.random() * 100 < mirror.percent) {
            // Fire and forget, as Envoy's shadow: the copy's answer is dropped; its sidecar still reports
            // it. The copy keeps the original's Host, as istiod sets it by default (docs/config.md, routing.mirror).
            void backend(mirror.subset).then((server) => {
                const copy = http.request({ host: "127.0.0.1", port: server.port, path: req.url, agent, headers: { host: req.headers.host } }, (answer) => answer.resume());
                copy.on("error", () => {});
                copy.end();
            });
        }
        if (version === undefined) {
            res.writeHead(503).end("no healthy upstream\n");
            return;
        }
        void backend(version).then((server) => {
            const upstream = http.request({ host: "127.0.0.1", port: server.port, path: req.url, agent, headers: { host: req.headers.host } }, (answer) => {
                const chunks: Buffer[] = [];
                answer.on("data", (chunk: Buffer) => chunks.push(chunk));
                answer.on("end", () => {
                    const code = answer.statusCode ?? 502;
                    metrics.record({ reporter: "source", namespace, app, version, cluster: options.clusters?.[version] ?? "unknown", ...source, code, durationMs: performance.now() - started });
                    res.writeHead(code, { "content-type": answer.headers["content-type"] ?? "text/plain" }).end(Buffer.concat(chunks));
                });
            });
            upstream.on("error", () => res.writeHead(503).end("upstream connect error\n"));
            upstream.end();
        });
    });
    await new Promise<void>((resolve) => ingress.listen(0, "127.0.0.1", resolve));
    const port = (ingress.address() as AddressInfo).port;
    return {
        url: `http://127.0.0.1:${port}/hello`,
        metricsUrl: `http://127.0.0.1:${port}/metrics`,
        weights: () => ({ ...routing() }),
        close: async () => {
            watcher.close();
            agent.destroy();
            ingress.closeAllConnections();
            await new Promise<void>((resolve) => ingress.close(() => resolve()));
            await Promise.all([...servers.values()].map(async (s) => (await s).close()));
        },
    };
}

function pick(weights: Weights): string | undefined {
    const total = Object.values(weights).reduce((a, b) => a + b, 0);
    let draw = Math.random() * total;
    for (const [version, weight] of Object.entries(weights)) {
        if (weight <= 0) {
            continue;
        }
        draw -= weight;
        if (draw < 0) {
            return version;
        }
    }
    return undefined;
}

interface VersionServer {
    port: number;
    close(): Promise<void>;
}

/** helloworld's answer, from one version, with its sidecar's (reporter="destination") metrics. */
async function startVersionServer(version: string, hooks: { record: (code: number, durationMs: number) => void; fault: () => Fault | undefined }): Promise<VersionServer> {
    let served = 0;
    const fails = evenShare();
    const slows = evenShare();
    const server = http.createServer((_req, res) => {
        const started = performance.now();
        const fault = hooks.fault() ?? {};
        const slow = slows(fault.slowRate ?? 0);
        const answer = () => {
            const failed = fails(fault.errorRate ?? 0);
            const code = failed ? 503 : 200;
            res.writeHead(code, { "content-type": "text/plain" })
                .end(failed ? "upstream failure\n" : `Hello version: ${version}, instance: helloworld-${version}-${++served}\n`);
            hooks.record(code, performance.now() - started);
        };
        if (slow) {
            const timer = setTimeout(answer, fault.slowMs ?? 1000);
            res.on("close", () => clearTimeout(timer));
        } else {
            answer();
        }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        port: (server.address() as AddressInfo).port,
        close: async () => {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
