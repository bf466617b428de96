// Which objects go to which cluster. This is the release's whole shape; the Pulumi component
// registers exactly these objects and `npm run render` writes exactly these objects.
import type { ReleaseConfig } from "../config/index.ts";
import { deploymentManifest } from "./deployment.ts";
import { destinationRuleManifest } from "./destination-rule.ts";
import { gatewayManifest } from "./gateway.ts";
import { deployedVersions } from "./labels.ts";
import { namespaceManifest } from "./namespace.ts";
import { peerAuthenticationManifest } from "./peer-authentication.ts";
import { serviceManifest } from "./service.ts";
import type { ClusterPlan, IstioManifest, Manifest } from "./types.ts";
import { virtualServiceManifest } from "./virtual-service.ts";

/**
 * Workload clusters get the namespace, the Service (in every one of them, for namespace sameness)
 * and the Deployments of the versions placed there. Istio config targets (every primary, or the one
 * config cluster of a hosted mesh) get the namespace and the Istio objects.
 */
export function planRelease(config: ReleaseConfig): ClusterPlan[] {
    const versions = deployedVersions(config);
    const istioObjects = [
        destinationRuleManifest(config),
        gatewayManifest(config),
        virtualServiceManifest(config),
        peerAuthenticationManifest(config),
    ].filter((m): m is IstioManifest => m !== undefined);

    return config.clusters.map((cluster) => {
        const manifests: Manifest[] = [namespaceManifest(config)];
        if (cluster.workloads) {
            manifests.push(serviceManifest(config));
            for (const version of versions.filter((v) => v.clusters.includes(cluster.name))) {
                manifests.push(deploymentManifest(config, version));
            }
        }
        if (cluster.istioConfig) {
            manifests.push(...istioObjects);
        }
        return { cluster, manifests };
    });
}

