// A one-replica Deployment for what the local tooling runs in the clusters itself (the ingress
// gateways, a mesh client), where kwok "runs" the pod and the data plane gives it a network.
import type { KubeObject } from "./kube-api.ts";

export interface DeploymentArgs {
    name: string;
    namespace: string;
    /** The Deployment's labels and its selector. */
    labels: Record<string, string>;
    /** The pod's labels. Defaults to `labels`. */
    podLabels?: Record<string, string>;
    /** The pod's spec: its containers, its service account. */
    podSpec: Record<string, unknown>;
}

export function deploymentObject(args: DeploymentArgs): KubeObject {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: args.name, namespace: args.namespace, labels: args.labels },
        spec: {
            replicas: 1,
            selector: { matchLabels: args.labels },
            template: { metadata: { labels: args.podLabels ?? args.labels }, spec: args.podSpec },
        },
    };
}
