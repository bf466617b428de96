// A Prometheus as a multi-cluster mesh's scrapes the ingress gateways: pilot-agent's merged stats on
// each gateway pod's status port, every 500 ms, each target labelled with its cluster (Envoy's own
// stats do not say where a gateway runs; a wave's figures are selected by that label). What the
// traffic tests and the benchmark judge a rollout on.
import type { PodState } from "../../dev/dataplane/dataplane-files.ts";
import { STATUS_PORT } from "../../dev/dataplane/proxy.ts";
import { serviceFqdn } from "../../mesh/hosts.ts";
import { ENVOY_STATS, sourceProbeQueries } from "../../tools/rollout/prometheus.ts";
import { startPrometheus, waitForSeries, type PrometheusServer } from "../prometheus-server.ts";

/**
 * Started once it has the gateways' series for helloworld in `namespace`: Envoy makes a cluster's
 * counters at its first request, so requests must already flow through the gateways (the rollout
 * refuses to start where Prometheus has no series for the Service). Stopped again if they never come.
 */
export async function startGatewayPrometheus(gateways: readonly Pick<PodState, "ip" | "cluster">[], namespace: string): Promise<PrometheusServer> {
    const prometheus = await startPrometheus(gateways.map((gateway) => ({
        address: `${gateway.ip}:${STATUS_PORT}`, labels: { [ENVOY_STATS.scrapeClusterLabel]: gateway.cluster },
    })), "500ms", "/stats/prometheus");
    try {
        await waitForSeries(prometheus.url, sourceProbeQueries({ namespace, host: serviceFqdn("helloworld", namespace), port: 5000 }).envoy);
    } catch (err) {
        await prometheus.stop();
        throw err;
    }
    return prometheus;
}
