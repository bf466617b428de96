import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { ClusterConfig } from "../config/index.ts";

/**
 * The Kubernetes provider of one cluster. A kubeconfig is wrapped as a secret again here: it comes
 * out of the stack's encrypted config, and must stay encrypted in the state and out of every log.
 * With renderYamlToDirectory the provider writes manifests there and never contacts a cluster.
 */
export function clusterProvider(
    name: string,
    cluster: ClusterConfig,
    opts: pulumi.CustomResourceOptions,
): k8s.Provider {
    const target = cluster.kubeconfig !== undefined
        ? { kubeconfig: pulumi.secret(cluster.kubeconfig) }
        : cluster.renderYamlToDirectory !== undefined
            ? { renderYamlToDirectory: cluster.renderYamlToDirectory }
            : { context: cluster.context };
    return new k8s.Provider(name, target, opts);
}
