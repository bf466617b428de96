// The canary's health from the mesh's own metrics, read the way Flagger's checks read them, from one of
// two sources: Istio's standard `istio_requests_total` and `istio_request_duration_milliseconds`, as
// reported by the server-side proxy (reporter="destination"), or, where the gateway is a plain Envoy
// without Istio's stats filter, the gateway's own stats of the upstream cluster Istio builds per subset
// (`outbound|<port>|<subset>|<host>`), as Flagger's Envoy-based providers read them. Either way every
// query names the release's Service host and the version judged, never a whole namespace: another
// service's v2 must not change this one's verdict.
import { request } from "undici";
import type { MetricsOption, MetricsSource } from "../../config/index.ts";
import { noAnswerInWords } from "./no-answer.ts";

const TIMEOUT_MS = 10_000;

/** Prometheus could not answer: the rollout cannot judge the step (a tool error, never a verdict). */
export class PrometheusError extends Error {
    override name = "PrometheusError";
}

export type { MetricsOption, MetricsSource };

/**
 * Istio's standard metrics (the stats filter of Istio's proxy build). Flagger's istio provider reads
 * the same names.
 */
export const ISTIO_METRICS = {
    requests: "istio_requests_total",
    durationBuckets: "istio_request_duration_milliseconds_bucket",
    /**
     * The cluster of the proxy that sent the request (the server side reports its peer's): for a wave,
     * the cluster whose gateway or sidecars routed it by that cluster's own VirtualServices.
     * `destination_cluster` would name where the canary's pods run, the same in every wave.
     */
    sourceClusterLabel: "source_cluster",
} as const;

/**
 * The gateway Envoy's upstream cluster stats as Istio's bootstrap tags them and pilot-agent's merged
 * endpoint (:15020/stats/prometheus) exports them. Envoy counts `upstream_rq_5xx` and `upstream_rq_503`
 * as two counters, so one request is in a series with a `response_code_class` and in another with a
 * `response_code`: the queries count the class series only, and never the two together. Upstream
 * Envoy's own tag names differ (`envoy_cluster_name`, `envoy_response_code_class="5"`); the names are
 * here alone so that they can follow what a real gateway exports.
 */
export const ENVOY_STATS = {
    requests: "envoy_cluster_upstream_rq",
    /** Milliseconds, Envoy's default buckets. */
    durationBuckets: "envoy_cluster_upstream_rq_time_bucket",
    clusterLabel: "cluster_name",
    codeClassLabel: "response_code_class",
    serverErrorClass: "5xx",
    /**
     * Envoy's stats do not say which cluster the gateway runs in: for a wave, the scrape must (a
     * Prometheus per cluster with `external_labels`, or a relabelling of each cluster's targets),
     * under this label, as multi-cluster Prometheus set-ups (Thanos, Cortex, Mimir) name it.
     */
    scrapeClusterLabel: "cluster",
} as const;

export interface VersionHealth {
    /** Requests to the version in the window. */
    requests: number;
    /** Percent of them answered without a 5xx; null without requests. */
    successRate: number | null;
    /** 99th percentile of their duration, ms; null without requests. */
    p99Ms: number | null;
}

/** The release's Service, as the stack config names it. */
export interface ServiceTarget {
    namespace: string;
    /** The mesh-wide host, e.g. helloworld.gray-demo.svc.cluster.local. */
    host: string;
    port: number;
}

export interface HealthQuery {
    prometheus: URL;
    source: MetricsSource;
    service: ServiceTarget;
    /** The version (and its subset) judged. */
    version: string;
    /** The window ends now and is this long. */
    windowMs: number;
    /** Count only the requests these clusters' proxies routed (a wave); absent, every request. */
    clusters?: readonly string[];
}

export interface HealthQueries {
    requests: string;
    successes: string;
    p99: string;
}

/**
 * The PromQL the check runs, exported so the README and the tests show exactly what is asked. With
 * `clusters` (a wave's), only the requests routed by those clusters' proxies count.
 */
export function healthQueries(source: MetricsSource, service: ServiceTarget, version: string, windowMs: number, clusters?: readonly string[]): HealthQueries {
    const ms = Math.max(1, Math.round(windowMs));
    const inClusters = (label: string) => (clusters === undefined ? "" : `,${label}=~${quote(clusters.map(escapeRegex).join("|"))}`);
    if (source === "istio") {
        const selector = `${istioServiceSelector(service)},destination_version=${quote(version)}${inClusters(ISTIO_METRICS.sourceClusterLabel)}`;
        return {
            requests: windowIncrease(`${ISTIO_METRICS.requests}{${selector}}`, ms),
            successes: windowIncrease(`${ISTIO_METRICS.requests}{${selector},response_code!~"5.*"}`, ms),
            p99: `histogram_quantile(0.99, ${windowIncrease(`${ISTIO_METRICS.durationBuckets}{${selector}}`, ms, "le")})`,
        };
    }
    const cluster = `${ENVOY_STATS.clusterLabel}=~${quote(envoyClusterPattern(service, escapeRegex(version)))}${inClusters(ENVOY_STATS.scrapeClusterLabel)}`;
    const answered = `${cluster},${ENVOY_STATS.codeClassLabel}!=""`;
    return {
        requests: windowIncrease(`${ENVOY_STATS.requests}{${answered}}`, ms),
        successes: windowIncrease(`${ENVOY_STATS.requests}{${answered},${ENVOY_STATS.codeClassLabel}!=${quote(ENVOY_STATS.serverErrorClass)}}`, ms),
        p99: `histogram_quantile(0.99, ${windowIncrease(`${ENVOY_STATS.durationBuckets}{${cluster}}`, ms, "le")})`,
    };
}

/**
 * How much the selected counters grew over the window, summed (by `by`, for a histogram's buckets).
 * Not `increase()` or `rate()`: a proxy creates the series of a response code (or class, or a new
 * version's histogram) at its first such answer, and those take a series' first sample as its start,
 * so the canary's first 5xx answers, born inside the window, went uncounted
 * (prometheus/prometheus#1673) and a failing first step could pass. Here each series' growth is its
 * value now less its value at the window's start; a series that did not exist then, or whose counter
 * was reset since (its pod restarted), grew by its whole value. A pod gone before the window's end is
 * no longer counted; the rollout's own verify still sees its answers.
 */
function windowIncrease(selector: string, windowMs: number, by?: string): string {
    return `sum${by === undefined ? "" : ` by (${by})`}((${selector} - ${selector} offset ${windowMs}ms) >= 0 or ${selector})`;
}

/** Queries that count the series each source has for the Service, any version: what `auto` asks. */
export function sourceProbeQueries(service: ServiceTarget): Record<MetricsSource, string> {
    return {
        istio: `count(${ISTIO_METRICS.requests}{${istioServiceSelector(service)}})`,
        envoy: `count(${ENVOY_STATS.requests}{${ENVOY_STATS.clusterLabel}=~${quote(envoyClusterPattern(service, "[^|]+"))}})`,
    };
}

/** The option the run was given, and where it came from (a flag wins over the stack file). */
export interface MetricsChoiceGiven {
    option: MetricsOption;
    from: "flag" | "stack";
}

/** The source chosen, and why, in words the rollout prints. */
export interface MetricsChoice {
    source: MetricsSource;
    reason: string;
}

/**
 * `istio` or `envoy` as given; `auto` takes Istio's metrics when Prometheus has them for the Service,
 * else the gateway's Envoy stats when it has those, and refuses when it has neither: every step
 * would otherwise be judged on no requests at all.
 */
export async function chooseMetricsSource(prometheus: URL, choice: MetricsChoiceGiven, service: ServiceTarget): Promise<MetricsChoice> {
    const { option } = choice;
    if (option !== "auto") {
        return { source: option, reason: choice.from === "flag" ? `--metrics ${option}` : `the stack's rollout.analysis.metrics: ${option}` };
    }
    const probes = sourceProbeQueries(service);
    const time = Date.now() / 1000;
    const istio = await instantValue(prometheus, probes.istio, time);
    const istioSeries = `${ISTIO_METRICS.requests} series for ${service.host}`;
    if (istio !== undefined && istio > 0) {
        return { source: "istio", reason: `auto: Prometheus has ${istioSeries}` };
    }
    const envoy = await instantValue(prometheus, probes.envoy, time);
    const envoySeries = `${ENVOY_STATS.requests} series for the clusters outbound|${service.port}|<subset>|${service.host}`;
    if (envoy !== undefined && envoy > 0) {
        return { source: "envoy", reason: `auto: Prometheus has no ${istioSeries}, but has ${envoySeries}` };
    }
    throw new PrometheusError(`Prometheus at ${prometheus.href} has neither ${istioSeries} nor ${envoySeries}: ` +
        "check that it scrapes the mesh's proxies and that the Service has had traffic, or choose the source with --metrics istio|envoy");
}

/** Whether Prometheus answers a query at all: the cheapest one its API takes. */
export async function checkPrometheus(prometheus: URL): Promise<void> {
    await instantValue(prometheus, "vector(1)", Date.now() / 1000);
}

/** Health of one version over the window; no requests when Prometheus has none. */
export async function queryHealth(query: HealthQuery): Promise<VersionHealth> {
    const queries = healthQueries(query.source, query.service, query.version, query.windowMs, query.clusters);
    const time = Date.now() / 1000;
    const [total, ok, latency] = await Promise.all(
        [queries.requests, queries.successes, queries.p99].map((promql) => instantValue(query.prometheus, promql, time)),
    );
    if (total === undefined || total <= 0) {
        return { requests: Math.round(total ?? 0), successRate: null, p99Ms: null };
    }
    return {
        requests: Math.round(total),
        // Counters are whole numbers, but a share of them is not: keep 6 decimals, so that a rate
        // shown as 99.5% is the one compared with the minimum.
        successRate: Math.min(100, Math.round((1e8 * (ok ?? 0)) / total) / 1e6),
        p99Ms: latency !== undefined && Number.isFinite(latency) ? latency : null,
    };
}

/** The Service's series in Istio's metrics: its host, in the release's namespace, server side. */
function istioServiceSelector(service: ServiceTarget): string {
    return `reporter="destination",destination_workload_namespace=${quote(service.namespace)},destination_service=${quote(service.host)}`;
}

/** Istio's name for the upstream cluster of a subset; `subset` is a regex (escaped, or a class). */
function envoyClusterPattern(service: ServiceTarget, subset: string): string {
    return `outbound\\|${service.port}\\|${subset}\\|${escapeRegex(service.host)}`;
}

function escapeRegex(text: string): string {
    return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

/** A PromQL string literal: double quotes, with backslashes and quotes escaped. */
function quote(text: string): string {
    return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

interface QueryResponse {
    status: "success" | "error";
    error?: string;
    data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

/** An instant query whose answer is one sample, or none (undefined): every query here aggregates. */
async function instantValue(prometheus: URL, promql: string, time: number): Promise<number | undefined> {
    const url = new URL("api/v1/query", prometheus.href.endsWith("/") ? prometheus : new URL(`${prometheus.href}/`));
    url.searchParams.set("query", promql);
    url.searchParams.set("time", time.toFixed(3));
    let status: number;
    let text: string;
    try {
        const response = await request(url, { headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
        status = response.statusCode;
        text = await response.body.text();
    } catch (err) {
        throw new PrometheusError(`cannot query Prometheus at ${prometheus.href}: ${noAnswerInWords(err, TIMEOUT_MS)}`);
    }
    let body: QueryResponse | undefined;
    try {
        body = JSON.parse(text) as QueryResponse;
    } catch {
        // Not Prometheus's API (a proxy's error page, another server): said below with the status.
    }
    if (status !== 200 || body?.status !== "success" || body.data?.resultType !== "vector") {
        throw new PrometheusError(`Prometheus at ${prometheus.href} refused the query (HTTP ${status}): ${body?.error ?? "no vector in the answer"}`);
    }
    const sample = body.data.result[0];
    return sample === undefined ? undefined : Number(sample.value[1]);
}
