// An ingress gateway as istioctl analyze expects to find one: pods labelled istio=ingressgateway and
// the istio-ingressgateway Service in front of them. On the local clusters kwok "runs" the pod (no
// image is pulled, no Envoy starts): what the gateway would be sent is asked of istiod by ingress-xds.
import { deploymentObject } from "../clusters/deployment.ts";
import type { KubeObject } from "../clusters/kube-api.ts";
import { ISTIO_NAMESPACE } from "./istiod.ts";

const LABELS = { app: "istio-ingressgateway", istio: "ingressgateway" };

export function ingressGatewayObjects(namespace = ISTIO_NAMESPACE): KubeObject[] {
    return [
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "istio-ingressgateway", namespace, labels: LABELS },
            spec: {
                type: "ClusterIP",
                selector: LABELS,
                // Istio's gateway chart maps port 80 to the proxy's unprivileged 8080.
                ports: [{ name: "http2", port: 80, targetPort: 8080, protocol: "TCP" }],
            },
        },
        deploymentObject({
            name: "istio-ingressgateway",
            namespace,
            labels: LABELS,
            podLabels: { ...LABELS, "sidecar.istio.io/inject": "false" },
            podSpec: {
                containers: [{
                    name: "istio-proxy",
                    image: "docker.io/istio/proxyv2:1.31.0",
                    ports: [{ containerPort: 8080, protocol: "TCP" }],
                }],
            },
        }),
    ];
}
