// How a primary's istiod learns of another cluster: a Secret in its own namespace, in the shape
// `istioctl create-remote-secret` writes. istiod watches Secrets labelled istio/multiCluster=true;
// each data key is a cluster id and holds a kubeconfig for that cluster's API server.
import type { KubeObject } from "../clusters/kube-api.ts";

/** The label istiod's multicluster controller selects remote secrets by. */
export const MULTICLUSTER_LABEL = "istio/multiCluster";

export function remoteSecret(args: { clusterId: string; kubeconfig: string; namespace: string }): KubeObject {
    return {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
            name: `istio-remote-secret-${args.clusterId}`,
            namespace: args.namespace,
            labels: { [MULTICLUSTER_LABEL]: "true" },
            annotations: { "networking.istio.io/cluster": args.clusterId },
        },
        type: "Opaque",
        data: { [args.clusterId]: Buffer.from(args.kubeconfig).toString("base64") },
    };
}
