// The ingress's view from istiod (ingress-route.ts) in a few lines a person reads: the split of the
// route, and per subset whether it is sent with Istio's mutual TLS and which pods, in which cluster,
// receive it. What scripts/try-local-clusters prints after `pulumi up`.
import { type IngressView, type RoutedService, subsetClusterName, subsetWeights } from "./ingress-route.ts";

/** Istio's SDS resource names for the proxy's own certificate and the mesh's root. */
const ISTIO_CERTIFICATE_SDS = "default";
const ISTIO_ROOT_SDS = "ROOTCA";

function tlsOf(transportSocket: IngressView["clusters"][string]["transportSocket"] | undefined): string {
    if (transportSocket === null || transportSocket === undefined) {
        return "plaintext";
    }
    const istioMutual = (transportSocket.certificateSds ?? []).includes(ISTIO_CERTIFICATE_SDS) && transportSocket.validationSds === ISTIO_ROOT_SDS;
    return istioMutual ? `Istio mutual TLS (SDS ${ISTIO_CERTIFICATE_SDS}, validated against ${ISTIO_ROOT_SDS})` : `TLS, not Istio's (SNI ${transportSocket.sni})`;
}

/** The cluster id ingress-xds reports as the last field of an endpoint's workload metadata. */
function endpointCluster(workload: string | undefined): string {
    return workload?.split(";").at(-1) || "cluster unknown";
}

export function ingressSummary(view: IngressView, service: RoutedService): string[] {
    const weights = subsetWeights(view, service.host);
    const split = service.subsets.map((subset) => `${subset} ${weights[subset] ?? 0}%`).join(", ");
    const lines = [`route ${view.route.name} (version ${view.route.version}): ${service.host} ${split}`];
    for (const subset of service.subsets) {
        const cluster = view.clusters[subsetClusterName(service.port, subset, service.host)];
        if (cluster === undefined) {
            lines.push(`  ${subset}: no cluster served`);
            continue;
        }
        const endpoints = cluster.endpoints.map((e) => `${e.address}:${e.port} (${endpointCluster(e.workload)}, ${e.health})`);
        lines.push(`  ${subset}: ${tlsOf(cluster.transportSocket)}; endpoints ${endpoints.join(", ") || "none"}`);
    }
    return lines;
}
