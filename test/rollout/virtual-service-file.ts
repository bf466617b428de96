// A VirtualService as the Kubernetes provider renders it, for tests of the ingress without the engine.
import { stringify } from "yaml";

export function virtualServiceYaml(weights: Record<string, number>): string {
    return stringify({
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: "gray-demo-vs", namespace: "gray-demo" },
        spec: {
            hosts: ["*"],
            gateways: ["gray-demo-gateway"],
            http: [{
                name: "http-5000",
                route: Object.entries(weights).filter(([, w]) => w > 0).map(([subset, weight]) => ({
                    destination: { host: "helloworld.gray-demo.svc.cluster.local", port: { number: 5000 }, subset },
                    weight,
                })),
            }],
        },
    });
}
