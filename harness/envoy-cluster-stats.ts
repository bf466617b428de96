// Envoy's per-upstream-cluster stats as an Istio gateway's Prometheus endpoint exports them (pilot-agent
// merges Envoy's /stats/prometheus into :15020/stats/prometheus, tagged by Istio's bootstrap): the
// cluster Istio builds per subset, `outbound|<port>|<subset>|<host>`, as `cluster_name`. Envoy keeps
// `upstream_rq_2xx` and `upstream_rq_200` as two counters, so each answer is in two series of
// `envoy_cluster_upstream_rq`, one with `response_code_class`, one with `response_code`; a query that
// summed them all would count every request twice. The names are written out here, not taken from
// tools/rollout/prometheus.ts, so that the tests check the rollout's names against this exposition.

/** Envoy's default histogram buckets, ms (Istio's request duration uses the same). */
export const ENVOY_DEFAULT_BUCKETS_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

/** Istio's name for the upstream cluster of one subset of a Service. */
export function envoyClusterName(port: number, subset: string, host: string): string {
    return `outbound|${port}|${subset}|${host}`;
}

interface ClusterSeries {
    byClass: Map<string, number>;
    byCode: Map<string, number>;
    completed: number;
    sum: number;
    buckets: number[];
}

export class EnvoyClusterStats {
    private readonly clusters = new Map<string, ClusterSeries>();

    /** One answer through the cluster, as the gateway's router counts it when the upstream replied. */
    record(cluster: string, code: number, durationMs: number): void {
        const series = this.clusters.get(cluster) ?? { byClass: new Map(), byCode: new Map(), completed: 0, sum: 0, buckets: ENVOY_DEFAULT_BUCKETS_MS.map(() => 0) };
        const codeClass = `${Math.floor(code / 100)}xx`;
        series.byClass.set(codeClass, (series.byClass.get(codeClass) ?? 0) + 1);
        series.byCode.set(String(code), (series.byCode.get(String(code)) ?? 0) + 1);
        series.completed++;
        series.sum += durationMs;
        ENVOY_DEFAULT_BUCKETS_MS.forEach((le, i) => {
            if (durationMs <= le) {
                series.buckets[i] = (series.buckets[i] ?? 0) + 1;
            }
        });
        this.clusters.set(cluster, series);
    }

    /** The exposition lines, in Prometheus's text format. */
    lines(): string[] {
        const clusters = [...this.clusters];
        const name = (cluster: string) => `cluster_name="${cluster}"`;
        return [
            "# TYPE envoy_cluster_upstream_rq counter",
            ...clusters.flatMap(([cluster, s]) => [
                ...[...s.byClass].map(([codeClass, n]) => `envoy_cluster_upstream_rq{response_code_class="${codeClass}",${name(cluster)}} ${n}`),
                ...[...s.byCode].map(([code, n]) => `envoy_cluster_upstream_rq{response_code="${code}",${name(cluster)}} ${n}`),
            ]),
            "# TYPE envoy_cluster_upstream_rq_completed counter",
            ...clusters.map(([cluster, s]) => `envoy_cluster_upstream_rq_completed{${name(cluster)}} ${s.completed}`),
            "# TYPE envoy_cluster_upstream_rq_time histogram",
            ...clusters.flatMap(([cluster, s]) => [
                ...ENVOY_DEFAULT_BUCKETS_MS.map((le, i) => `envoy_cluster_upstream_rq_time_bucket{${name(cluster)},le="${le}"} ${s.buckets[i]}`),
                `envoy_cluster_upstream_rq_time_bucket{${name(cluster)},le="+Inf"} ${s.completed}`,
                `envoy_cluster_upstream_rq_time_sum{${name(cluster)}} ${s.sum}`,
                `envoy_cluster_upstream_rq_time_count{${name(cluster)}} ${s.completed}`,
            ]),
        ];
    }

    text(): string {
        return `${this.lines().join("\n")}\n`;
    }
}
