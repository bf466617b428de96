// Which objects go to which cluster, and what each must follow. This is the release's whole shape;
// the Pulumi component registers exactly these objects with exactly these edges, and `npm run render`
// writes exactly these objects.
//
// The edges, and why:
// - Everything follows its namespace: an object cannot be created in a namespace that does not exist yet.
// - The routes (the VirtualServices: the ingress's and the mesh's) follow the subsets (DestinationRule) and the Gateway: a route that names a
//   subset Envoy has not received answers 503 (no cluster), and one bound to a missing Gateway is not served.
// What an edge means to Pulumi, within one `pulumi up`: an object is created or updated only after the
// objects it follows; deletions come after every create and update, in reverse order of the edges. So a
// new subset is in place before the route that uses it; a retired version's Deployment goes only after the
// routes and subsets have been updated; and a cluster that stops receiving Istio config loses its routes
// before its subsets and Gateway. The one order no edge can give: a route leaving a subset and the subset
// leaving the DestinationRule in the same `up` are both updates, and the subsets' update runs first. That
// is why taking a version offline is two `pulumi up`s (README, "Taking a version offline"): its weight goes
// to 0 first, and config refuses a retired version with a weight, so by the time its subset is removed no
// route names it.
import type { ReleaseCluster, ReleaseSpec } from "../config/index.ts";
import { deploymentManifest } from "./deployment.ts";
import { destinationRuleManifest } from "./destination-rule.ts";
import { gatewayManifest } from "./gateway.ts";
import { deployedVersions } from "./labels.ts";
import { namespaceManifest } from "./namespace.ts";
import { peerAuthenticationManifest } from "./peer-authentication.ts";
import { serviceManifest } from "./service.ts";
import type { ClusterPlan, Manifest, ObjectRole, PlannedObject } from "./types.ts";
import { virtualServiceManifests } from "./virtual-service.ts";

function planned(role: ObjectRole, manifest: Manifest, follows: readonly PlannedObject[], protect = false): PlannedObject {
    return { role, manifest, follows, protect };
}

/**
 * Workload clusters get the namespace, the Service (in every one of them, for namespace sameness)
 * and the Deployments of the versions placed there. Istio config targets (every primary, or the one
 * config cluster of a hosted mesh) get the namespace and the Istio objects.
 */
export function planRelease<C extends ReleaseCluster>(config: Omit<ReleaseSpec, "clusters"> & { clusters: readonly C[] }): ClusterPlan<C>[] {
    const versions = deployedVersions(config);
    // Built once: every config target gets the same objects (and render writes each distinct one once).
    const service = serviceManifest(config);
    const subsets = destinationRuleManifest(config);
    const gateway = gatewayManifest(config);
    const mtlsPolicy = peerAuthenticationManifest(config);

    return config.clusters.map((cluster) => {
        // A namespace another release owns is that release's to create (and to order before this one).
        const namespace = config.createNamespace ? planned("namespace", namespaceManifest(config), [], config.protectNamespace) : undefined;
        const objects: PlannedObject[] = namespace === undefined ? [] : [namespace];
        const inNamespace = (role: ObjectRole, manifest: Manifest, follows: readonly PlannedObject[] = []) => {
            const object = planned(role, manifest, namespace === undefined ? follows : [namespace, ...follows]);
            objects.push(object);
            return object;
        };
        if (cluster.workloads) {
            inNamespace("service", service);
            for (const version of versions.filter((v) => v.clusters.includes(cluster.name))) {
                inNamespace("workload", deploymentManifest(config, version));
            }
        }
        if (cluster.istioConfig) {
            const subsetsObject = inNamespace("subsets", subsets);
            const gatewayObject = inNamespace("gateway", gateway);
            // Per cluster: a config target may carry its own weights (a wave).
            for (const routes of virtualServiceManifests(config, cluster)) {
                inNamespace("routes", routes, [subsetsObject, gatewayObject]);
            }
            if (mtlsPolicy !== undefined && config.createNamespace) {
                inNamespace("mtls-policy", mtlsPolicy);
            }
        }
        return { cluster, objects, manifests: objects.map((o) => o.manifest) };
    });
}
