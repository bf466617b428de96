// Label sets and names that several objects must agree on: a Service selector that misses the pod
// labels, or a subset selecting a label no pod carries, silently black-holes traffic.
import type { ReleaseSpec, VersionSpec } from "../config/index.ts";
import { serviceFqdn } from "../mesh/hosts.ts";

/** The label every pod of the release carries; the Service selects on it alone. */
export function appLabels(spec: Pick<ReleaseSpec, "app">): { app: string } {
    return { app: spec.app.name };
}

/**
 * Pod labels of one version: the Service selects `app`, the DestinationRule subset selects `version`
 * (a subset applies only to the endpoints of its host, so two releases' `v1` never mix).
 */
export function versionLabels(spec: Pick<ReleaseSpec, "app">, version: string): { app: string; version: string } {
    return { ...appLabels(spec), version };
}

/** The subset that routes to a version is named after it, as in Istio's own samples. */
export function subsetName(version: string): string {
    return version;
}

export function deploymentName(spec: Pick<ReleaseSpec, "app">, version: string): string {
    return `${spec.app.name}-${version}`;
}

/** The name Istio resolves the Service by in every cluster of the mesh. */
export function serviceHost(spec: Pick<ReleaseSpec, "service" | "namespace">): string {
    return serviceFqdn(spec.service.name, spec.namespace);
}

/** Versions that have pods somewhere: every version that is not retired. */
export function deployedVersions<V extends VersionSpec>(spec: { versions: readonly V[] }): V[] {
    return spec.versions.filter((v) => !v.retired).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Versions that receive traffic: a weight of 0 keeps the pods (and subset) but drops the route. */
export function routedVersions<V extends VersionSpec>(spec: { versions: readonly V[] }): V[] {
    return deployedVersions(spec).filter((v) => v.weight > 0);
}

/** The split the VirtualService applies, by version. */
export function trafficSplit(spec: { versions: readonly VersionSpec[] }): Record<string, number> {
    return Object.fromEntries(routedVersions(spec).map((v) => [v.name, v.weight]));
}
