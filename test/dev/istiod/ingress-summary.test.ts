// What try-local-clusters prints of the ingress's xDS view: the split, mutual TLS or not, and which
// cluster each subset's pods are in. The views are shaped as ingress-xds prints them.
import { describe, expect, it } from "vitest";
import type { IngressView } from "../../../dev/istiod/ingress-route.ts";
import { subsetClusterName } from "../../../dev/istiod/ingress-route.ts";
import { ingressSummary } from "../../../dev/istiod/ingress-summary.ts";

const HOST = "helloworld.gray-demo.svc.cluster.local";
const SERVICE = { host: HOST, port: 5000, subsets: ["v1", "v2"] };

const ISTIO_MUTUAL = {
    name: "envoy.transport_sockets.tls",
    sni: `outbound_.5000_.v1_.${HOST}`,
    alpn: ["istio-peer-exchange", "istio"],
    certificateSds: ["default"],
    validationSds: "ROOTCA",
    subjectAltNames: null,
};

function view(weights: Record<string, number>, clusters: IngressView["clusters"]): IngressView {
    return {
        route: {
            name: "http.80",
            version: "2026-12-02T12:00:00Z/7",
            virtualHosts: [{
                name: "*:80",
                domains: ["*"],
                routes: [{ name: "", weightedClusters: Object.entries(weights).map(([subset, weight]) => ({ cluster: subsetClusterName(5000, subset, HOST), weight })) }],
            }],
        },
        clusters,
    };
}

describe("ingressSummary", () => {
    it("prints the split, Istio's mutual TLS and each subset's endpoints with their cluster", () => {
        const lines = ingressSummary(view({ v1: 80, v2: 20 }, {
            [subsetClusterName(5000, "v1", HOST)]: {
                transportSocket: ISTIO_MUTUAL,
                endpoints: [{ address: "10.244.2.1", port: 5000, health: "HEALTHY", workload: "helloworld-v1;gray-demo;helloworld;v1;mdemo-cluster2" }],
            },
            [subsetClusterName(5000, "v2", HOST)]: {
                transportSocket: { ...ISTIO_MUTUAL, sni: `outbound_.5000_.v2_.${HOST}` },
                endpoints: [{ address: "10.244.1.1", port: 5000, health: "HEALTHY", workload: "helloworld-v2;gray-demo;helloworld;v2;mdemo-cluster1" }],
            },
        }), SERVICE);
        expect(lines).toEqual([
            `route http.80 (version 2026-12-02T12:00:00Z/7): ${HOST} v1 80%, v2 20%`,
            "  v1: Istio mutual TLS (SDS default, validated against ROOTCA); endpoints 10.244.2.1:5000 (mdemo-cluster2, HEALTHY)",
            "  v2: Istio mutual TLS (SDS default, validated against ROOTCA); endpoints 10.244.1.1:5000 (mdemo-cluster1, HEALTHY)",
        ]);
    });

    it("says plaintext, a missing subset cluster and a subset without endpoints plainly", () => {
        const lines = ingressSummary(view({ v1: 100 }, {
            [subsetClusterName(5000, "v1", HOST)]: { transportSocket: null, endpoints: [] },
        }), SERVICE);
        expect(lines).toEqual([
            `route http.80 (version 2026-12-02T12:00:00Z/7): ${HOST} v1 100%, v2 0%`,
            "  v1: plaintext; endpoints none",
            "  v2: no cluster served",
        ]);
    });

    it("does not call TLS with other certificates Istio's mutual TLS", () => {
        const lines = ingressSummary(view({ v1: 100 }, {
            [subsetClusterName(5000, "v1", HOST)]: {
                transportSocket: { ...ISTIO_MUTUAL, certificateSds: ["file-cert:/etc/certs/cert.pem"] },
                endpoints: [],
            },
        }), { ...SERVICE, subsets: ["v1"] });
        expect(lines[1]).toBe(`  v1: TLS, not Istio's (SNI outbound_.5000_.v1_.${HOST}); endpoints none`);
    });
});
