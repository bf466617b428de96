// The PromQL a step is judged by, in both metric sources, exactly as sent: each query names the
// release's Service host and the canary's version (its subset), never a whole namespace. The figures
// these queries return from a real Prometheus are tested in test/engine/rollout-prometheus.test.ts.
import { describe, expect, it } from "vitest";
import { healthQueries, sourceProbeQueries, type HealthQueries, type MetricsSource } from "../../tools/rollout/prometheus.ts";

const HELLOWORLD = { namespace: "gray-demo", host: "helloworld.gray-demo.svc.cluster.local", port: 5000 };

describe("healthQueries", () => {
    describe.each<[MetricsSource, HealthQueries]>([
        ["istio", {
            requests: String.raw`sum((istio_requests_total{reporter="destination",destination_workload_namespace="gray-demo",destination_service="helloworld.gray-demo.svc.cluster.local",destination_version="v2"} - istio_requests_total{reporter="destination",destination_workload_namespace="gray-demo",destination_service="helloworld.gray-demo.svc.cluster.local",destination_version="v2"} offset 30000ms) >= 0 or istio_requests_total{reporter="destination",destination_workload_namespace="gray-demo",destination_service="helloworld.gray-demo.svc.cluster.local",destination_version="v2"})`,
            successes: String.raw`sum((istio_requests_total{reporter="destination",destination_workload_namespace="gray-demo",destination_service="helloworld.gray-demo.svc.cluster.local",destination_version="v2",response_code!~"5.*"} - istio_requests_total{reporter="destination",destination_workload_namespace="gray-demo",destination_service="helloworld.gray-demo.svc.cluster.local",destination_version="v2",response_code!~"5.*"} offset 30000ms) >= 0 or istio_requests_total{reporter="destination",destination_workload_namespace="gray-demo",destination_service="helloworld.gray-demo.svc.cluster.local",destination_version="v2",response_code!~"5.*"})`,
            p99: String.raw`histogram_quantile(0.99, sum by (le)((istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="gray-demo",destination_service="helloworld.gray-demo.svc.cluster.local",destination_version="v2"} - istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="gray-demo",destination_service="helloworld.gray-demo.svc.cluster.local",destination_version="v2"} offset 30000ms) >= 0 or istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="gray-demo",destination_service="helloworld.gray-demo.svc.cluster.local",destination_version="v2"}))`,
        }],
        ["envoy", {
            requests: String.raw`sum((envoy_cluster_upstream_rq{cluster_name=~"outbound\\|5000\\|v2\\|helloworld\\.gray-demo\\.svc\\.cluster\\.local",response_code_class!=""} - envoy_cluster_upstream_rq{cluster_name=~"outbound\\|5000\\|v2\\|helloworld\\.gray-demo\\.svc\\.cluster\\.local",response_code_class!=""} offset 30000ms) >= 0 or envoy_cluster_upstream_rq{cluster_name=~"outbound\\|5000\\|v2\\|helloworld\\.gray-demo\\.svc\\.cluster\\.local",response_code_class!=""})`,
            successes: String.raw`sum((envoy_cluster_upstream_rq{cluster_name=~"outbound\\|5000\\|v2\\|helloworld\\.gray-demo\\.svc\\.cluster\\.local",response_code_class!="",response_code_class!="5xx"} - envoy_cluster_upstream_rq{cluster_name=~"outbound\\|5000\\|v2\\|helloworld\\.gray-demo\\.svc\\.cluster\\.local",response_code_class!="",response_code_class!="5xx"} offset 30000ms) >= 0 or envoy_cluster_upstream_rq{cluster_name=~"outbound\\|5000\\|v2\\|helloworld\\.gray-demo\\.svc\\.cluster\\.local",response_code_class!="",response_code_class!="5xx"})`,
            p99: String.raw`histogram_quantile(0.99, sum by (le)((envoy_cluster_upstream_rq_time_bucket{cluster_name=~"outbound\\|5000\\|v2\\|helloworld\\.gray-demo\\.svc\\.cluster\\.local"} - envoy_cluster_upstream_rq_time_bucket{cluster_name=~"outbound\\|5000\\|v2\\|helloworld\\.gray-demo\\.svc\\.cluster\\.local"} offset 30000ms) >= 0 or envoy_cluster_upstream_rq_time_bucket{cluster_name=~"outbound\\|5000\\|v2\\|helloworld\\.gray-demo\\.svc\\.cluster\\.local"}))`,
        }],
    ])("from %s metrics", (source, queries) => {
        it("asks for the Service's canary over the window", () => {
            expect(healthQueries(source, HELLOWORLD, "v2", 30_000)).toEqual(queries);
        });
    });

    it.each<[MetricsSource, string]>([
        ["istio", String.raw`destination_workload_namespace="shop",destination_service="greeter.shop.svc.cluster.local",destination_version="canary"`],
        ["envoy", String.raw`cluster_name=~"outbound\\|8080\\|canary\\|greeter\\.shop\\.svc\\.cluster\\.local"`],
    ])("follows the stack's Service, port and version (%s)", (source, selector) => {
        const queries = healthQueries(source, { namespace: "shop", host: "greeter.shop.svc.cluster.local", port: 8080 }, "canary", 1500);
        expect(Object.values(queries).map((query) => [query.includes(selector), query.includes("offset 1500ms)")])).toEqual([[true, true], [true, true], [true, true]]);
    });

    it.each<[MetricsSource, string]>([
        // The server side reports the cluster of the proxy that routed the request: the wave's gateway or sidecars.
        ["istio", String.raw`destination_version="v2",source_cluster=~"mdemo-cluster1|eu\\.west"`],
        // Envoy's stats do not carry the cluster: the scrape's target label does.
        ["envoy", String.raw`helloworld\\.gray-demo\\.svc\\.cluster\\.local",cluster=~"mdemo-cluster1|eu\\.west"`],
    ])("counts only the requests a wave's clusters routed, in every query (%s)", (source, selector) => {
        const queries = healthQueries(source, HELLOWORLD, "v2", 30_000, ["mdemo-cluster1", "eu.west"]);
        // Each selector is written three times in each query: now, at the window's start, and born since.
        expect(Object.values(queries).map((query) => query.split(selector).length - 1)).toEqual([3, 3, 3]);
        expect(healthQueries(source, HELLOWORLD, "v2", 30_000)).toEqual(Object.fromEntries(Object.entries(queries).map(([k, q]) => [k, q.replaceAll(
            source === "istio" ? String.raw`,source_cluster=~"mdemo-cluster1|eu\\.west"` : String.raw`,cluster=~"mdemo-cluster1|eu\\.west"`, "")])));
    });

    it("matches a version's name in Envoy's cluster name literally", () => {
        expect(healthQueries("envoy", HELLOWORLD, "v2.1", 1000).requests).toContain(String.raw`outbound\\|5000\\|v2\\.1\\|helloworld`);
    });
});

describe("sourceProbeQueries", () => {
    it("counts the Service's series of each source, any version", () => {
        expect(sourceProbeQueries(HELLOWORLD)).toEqual({
            istio: String.raw`count(istio_requests_total{reporter="destination",destination_workload_namespace="gray-demo",destination_service="helloworld.gray-demo.svc.cluster.local"})`,
            envoy: String.raw`count(envoy_cluster_upstream_rq{cluster_name=~"outbound\\|5000\\|[^|]+\\|helloworld\\.gray-demo\\.svc\\.cluster\\.local"})`,
        });
    });
});
