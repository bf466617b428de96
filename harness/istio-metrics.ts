// What Prometheus scrapes from an Istio mesh, in its text format. Istio's standard metrics as Envoy's
// stats filter exports them: `istio_requests_total` and the `istio_request_duration_milliseconds`
// histogram (Istio's default buckets), with the labels the proxy sets. Both sides report, as in a mesh:
// the ingress gateway as reporter="source", the workload's sidecar as reporter="destination". Beside
// them, as pilot-agent's merged endpoint has them, the gateway Envoy's own stats of the upstream
// cluster of each subset (harness/envoy-cluster-stats.ts), which a gateway without Istio's stats filter
// still exports.
import { ENVOY_DEFAULT_BUCKETS_MS, EnvoyClusterStats, envoyClusterName } from "./envoy-cluster-stats.ts";

/** Istio's default buckets for istio_request_duration_milliseconds: Envoy's defaults. */
export const DURATION_BUCKETS_MS = ENVOY_DEFAULT_BUCKETS_MS;

export interface RequestRecord {
    reporter: "source" | "destination";
    namespace: string;
    app: string;
    version: string;
    /** Where the version runs: destination_cluster. */
    cluster: string;
    /** Where the gateway that routed the request runs: source_cluster. Defaults to `cluster`. */
    sourceCluster?: string;
    code: number;
    durationMs: number;
}

interface Series {
    labels: string;
    count: number;
    sum: number;
    buckets: number[];
}

export interface IstioMetricsOptions {
    /** The Service port the gateway routes to (the port of its upstream clusters). Defaults to 5000. */
    port?: number;
}

export class IstioMetrics {
    private readonly requests = new Map<string, number>();
    private readonly durations = new Map<string, Series>();
    private readonly gatewayClusters = new EnvoyClusterStats();
    private readonly port: number;

    constructor(options: IstioMetricsOptions = {}) {
        this.port = options.port ?? 5000;
    }

    record(r: RequestRecord): void {
        const host = `${r.app}.${r.namespace}.svc.cluster.local`;
        if (r.reporter === "source") {
            this.gatewayClusters.record(envoyClusterName(this.port, r.version, host), r.code, r.durationMs);
        }
        const workload = `${r.app}-${r.version}`;
        const labels = labelText({
            reporter: r.reporter,
            source_workload: "istio-ingressgateway",
            source_workload_namespace: "istio-system",
            source_app: "istio-ingressgateway",
            source_version: "unknown",
            source_cluster: r.sourceCluster ?? r.cluster,
            destination_workload: workload,
            destination_workload_namespace: r.namespace,
            destination_app: r.app,
            destination_version: r.version,
            destination_service: host,
            destination_service_name: r.app,
            destination_service_namespace: r.namespace,
            destination_cluster: r.cluster,
            destination_canonical_service: r.app,
            destination_canonical_revision: r.version,
            request_protocol: "http",
            response_code: String(r.code),
            grpc_response_status: "",
            response_flags: r.code === 503 ? "UF" : "-",
            connection_security_policy: r.reporter === "destination" ? "mutual_tls" : "unknown",
        });
        this.requests.set(labels, (this.requests.get(labels) ?? 0) + 1);
        const series = this.durations.get(labels) ?? { labels, count: 0, sum: 0, buckets: DURATION_BUCKETS_MS.map(() => 0) };
        series.count++;
        series.sum += r.durationMs;
        DURATION_BUCKETS_MS.forEach((le, i) => {
            if (r.durationMs <= le) {
                series.buckets[i] = (series.buckets[i] ?? 0) + 1;
            }
        });
        this.durations.set(labels, series);
    }

    /** The exposition a Prometheus scrape reads. */
    text(): string {
        const lines = [
            "# HELP istio_requests_total Total requests.",
            "# TYPE istio_requests_total counter",
            ...[...this.requests].map(([labels, n]) => `istio_requests_total{${labels}} ${n}`),
            "# HELP istio_request_duration_milliseconds Request duration.",
            "# TYPE istio_request_duration_milliseconds histogram",
        ];
        for (const s of this.durations.values()) {
            DURATION_BUCKETS_MS.forEach((le, i) => lines.push(`istio_request_duration_milliseconds_bucket{${s.labels},le="${le}"} ${s.buckets[i]}`));
            lines.push(`istio_request_duration_milliseconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
            lines.push(`istio_request_duration_milliseconds_sum{${s.labels}} ${s.sum}`);
            lines.push(`istio_request_duration_milliseconds_count{${s.labels}} ${s.count}`);
        }
        return `${[...lines, ...this.gatewayClusters.lines()].join("\n")}\n`;
    }
}

function labelText(labels: Record<string, string>): string {
    return Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",");
}
