// The canary's health from the mesh's own metrics, read the way Flagger's built-in checks read them:
// Istio's standard `istio_requests_total` and `istio_request_duration_milliseconds`, as reported by the
// server-side proxy (reporter="destination"), over the step's window, per destination_version.
import { request } from "undici";

/** Prometheus could not answer: the rollout cannot judge the step (a tool error, never a verdict). */
export class PrometheusError extends Error {
    override name = "PrometheusError";
}

export interface VersionHealth {
    /** Requests the version's proxies reported in the window. */
    requests: number;
    /** Percent of them answered without a 5xx; null without requests. */
    successRate: number | null;
    /** 99th percentile of their duration, ms; null without requests. */
    p99Ms: number | null;
}

export interface HealthQuery {
    prometheus: URL;
    namespace: string;
    /** The window ends now and is this long. */
    windowMs: number;
}

/** The PromQL the check runs, exported so the README and the tests show exactly what is asked. */
export function healthQueries(namespace: string, windowMs: number): { requests: string; successes: string; p99: string } {
    const selector = `reporter="destination",destination_workload_namespace="${namespace}"`;
    const range = `[${Math.max(1, Math.round(windowMs))}ms]`;
    return {
        requests: `sum by (destination_version) (increase(istio_requests_total{${selector}}${range}))`,
        successes: `sum by (destination_version) (increase(istio_requests_total{${selector},response_code!~"5.*"}${range}))`,
        p99: `histogram_quantile(0.99, sum by (destination_version, le) (rate(istio_request_duration_milliseconds_bucket{${selector}}${range})))`,
    };
}

/** Health of every version that had requests in the window. */
export async function queryHealth(query: HealthQuery): Promise<Map<string, VersionHealth>> {
    const queries = healthQueries(query.namespace, query.windowMs);
    const time = Date.now() / 1000;
    const [requests, successes, p99] = await Promise.all(
        [queries.requests, queries.successes, queries.p99].map((promql) => instantVector(query.prometheus, promql, time)),
    ) as [Map<string, number>, Map<string, number>, Map<string, number>];
    const health = new Map<string, VersionHealth>();
    for (const [version, total] of requests) {
        const ok = successes.get(version) ?? 0;
        const latency = p99.get(version);
        health.set(version, {
            requests: Math.round(total),
            // increase() extrapolates each series and the two sums add them in different orders, so
            // a version without a single 5xx can come out at 99.99999999999999%: keep 6 decimals.
            successRate: total > 0 ? Math.min(100, Math.round((1e8 * ok) / total) / 1e6) : null,
            p99Ms: total > 0 && latency !== undefined && Number.isFinite(latency) ? latency : null,
        });
    }
    return health;
}

interface QueryResponse {
    status: "success" | "error";
    error?: string;
    data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

/** An instant query's vector, by destination_version. */
async function instantVector(prometheus: URL, promql: string, time: number): Promise<Map<string, number>> {
    const url = new URL("api/v1/query", prometheus.href.endsWith("/") ? prometheus : new URL(`${prometheus.href}/`));
    url.searchParams.set("query", promql);
    url.searchParams.set("time", time.toFixed(3));
    let body: QueryResponse;
    let status: number;
    try {
        const response = await request(url, { headersTimeout: 10_000, bodyTimeout: 10_000 });
        status = response.statusCode;
        const text = await response.body.text();
        body = JSON.parse(text) as QueryResponse;
    } catch (err) {
        const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException; errors?: NodeJS.ErrnoException[] };
        const code = e.errors?.[0]?.code ?? e.cause?.code ?? e.code ?? e.message;
        throw new PrometheusError(`cannot query Prometheus at ${prometheus.href}: ${code}`);
    }
    if (status !== 200 || body.status !== "success" || body.data?.resultType !== "vector") {
        throw new PrometheusError(`Prometheus at ${prometheus.href} refused the query (HTTP ${status}): ${body.error ?? "no vector in the answer"}`);
    }
    return new Map(body.data.result.map((sample) => [sample.metric.destination_version ?? "", Number(sample.value[1])]));
}
