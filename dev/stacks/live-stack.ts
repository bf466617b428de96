// A stack of this project against live local clusters (dev/clusters): the dev stack's config as
// committed (contexts mdemo-cluster1 and mdemo-cluster2, no renderYamlToDirectory), in a namespace of
// the caller's choosing so that users of the same clusters do not meet, driven through the real CLI
// with KUBECONFIG naming both clusters' contexts; and what the clusters hold, read from their API
// servers. Used by the cluster tests (test/clusters) and the engine benchmark (bench/engine.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { CONFIG_NAMESPACE, parseEngineConfig, type ReleaseConfig } from "../../config/index.ts";
import { planRelease } from "../../manifests/plan.ts";
import { serviceFqdn } from "../../mesh/hosts.ts";
import { collectionPath, type KubeApi, type KubeObject, pluralOf } from "../clusters/kube-api.ts";
import type { LocalClusters } from "../clusters/local-clusters.ts";
import type { RoutedService } from "../istiod/ingress-route.ts";
import { stackConfigFromText } from "../../tools/stack-file.ts";
import { stackFileConfig } from "../engine/render-mode.ts";
import { PulumiWorkspace } from "../engine/workspace.ts";

const PROJECT_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** The dev stack's config (Pulumi.dev.yaml) with its namespace replaced, and any other keys (e.g. weights). */
export function liveStackConfig(namespace: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const dev = stackFileConfig(readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8"));
    const keyed = Object.entries({ namespace, ...overrides }).map(([key, value]): [string, unknown] => [`${CONFIG_NAMESPACE}:${key}`, value]);
    return { ...dev, ...Object.fromEntries(keyed) };
}

/** A workspace whose commands see every local cluster's context. */
export function liveWorkspace(engineBin: string, clusters: LocalClusters, config: Record<string, unknown>): PulumiWorkspace {
    return new PulumiWorkspace({ engineBin, config, env: { KUBECONFIG: clusters.kubeconfig } });
}

/** The kinds the release places, with their API versions as the stack config asks for them. */
function releaseKinds(istioApiVersion: string): { apiVersion: string; kind: string }[] {
    const security = istioApiVersion.replace("networking.istio.io", "security.istio.io").replace("v1alpha3", "v1beta1");
    return [
        { apiVersion: "apps/v1", kind: "Deployment" },
        { apiVersion: "v1", kind: "Service" },
        { apiVersion: istioApiVersion, kind: "DestinationRule" },
        { apiVersion: istioApiVersion, kind: "Gateway" },
        { apiVersion: istioApiVersion, kind: "VirtualService" },
        { apiVersion: security, kind: "PeerAuthentication" },
    ];
}

/** Per "Kind/name", the release's objects a cluster's API server holds in `namespace`, the Namespace itself included. */
export async function liveObjects(api: KubeApi, namespace: string, istioApiVersion = "networking.istio.io/v1"): Promise<Map<string, KubeObject>> {
    const found = new Map<string, KubeObject>();
    const ns = await api.find(`/api/v1/namespaces/${namespace}`);
    if (ns !== undefined) {
        found.set(`Namespace/${namespace}`, ns);
    }
    for (const { apiVersion, kind } of releaseKinds(istioApiVersion)) {
        for (const item of await api.list(collectionPath(apiVersion, pluralOf(kind), namespace))) {
            found.set(`${kind}/${item.metadata.name}`, item);
        }
    }
    return found;
}

/**
 * The release a stack's config (keys as in Pulumi.<stack>.yaml) describes: through the one reading of
 * a stack file that render and the program share (tools/stack-file.ts, config/engine-config.ts).
 */
export function releaseConfigOf(config: Record<string, unknown>): ReleaseConfig {
    return parseEngineConfig(stackConfigFromText(stringify({ config }), "the live stack's config"));
}

/** Per cluster, the "Kind/name" of every object the program's own plan places there, sorted. */
export function plannedPlacement(config: Record<string, unknown>): Map<string, string[]> {
    return new Map(planRelease(releaseConfigOf(config))
        .map((plan) => [plan.cluster.name, plan.manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()]));
}

/** The service the stack's VirtualService splits and the subsets it splits it between (the versions still serving). */
export function routedService(config: Record<string, unknown>): RoutedService {
    const release = releaseConfigOf(config);
    return {
        host: serviceFqdn(release.service.name, release.namespace),
        port: release.service.port,
        subsets: release.versions.filter((v) => !v.retired).map((v) => v.name),
    };
}

/** resourceVersion per "Kind/name". */
export function resourceVersions(objects: Map<string, KubeObject>): Map<string, string | undefined> {
    return new Map([...objects].map(([key, object]) => [key, object.metadata.resourceVersion]));
}

export interface Route {
    destination: { host: string; subset: string };
    weight: number;
}

/** [subset, weight] of each destination of a VirtualService's first HTTP route. */
export function routeWeights(virtualService: KubeObject | undefined): [string, number][] {
    const spec = virtualService?.spec as { http?: { route: Route[] }[] } | undefined;
    return (spec?.http?.[0]?.route ?? []).map((r) => [r.destination.subset, r.weight]);
}
