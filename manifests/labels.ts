// Label sets and names that several objects must agree on: a Service selector that misses the pod
// labels, or a subset selecting a label no pod carries, silently black-holes traffic.
import type { ReleaseConfig, VersionConfig } from "../config/index.ts";
import { serviceFqdn } from "../mesh/hosts.ts";

/** The application label every version's pods carry; the Service selects on it alone. */
export const APP_NAME = "helloworld";

export function appLabels(): Record<string, string> {
    return { app: APP_NAME };
}

/** Pod labels of one version: the Service selects `app`, the DestinationRule subset selects `version`. */
export function versionLabels(version: string): { app: string; version: string } {
    return { app: APP_NAME, version };
}

/** The subset that routes to a version is named after it, as in Istio's own samples. */
export function subsetName(version: string): string {
    return version;
}

export function deploymentName(version: string): string {
    return `${APP_NAME}-${version}`;
}

/** The name Istio resolves the Service by in every cluster of the mesh. */
export function serviceHost(config: Pick<ReleaseConfig, "service" | "namespace">): string {
    return serviceFqdn(config.service.name, config.namespace);
}

/** Versions that have pods somewhere: every version that is not retired. */
export function deployedVersions(config: Pick<ReleaseConfig, "versions">): VersionConfig[] {
    return config.versions.filter((v) => !v.retired).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Versions that receive traffic: a weight of 0 keeps the pods (and subset) but drops the route. */
export function routedVersions(config: Pick<ReleaseConfig, "versions">): VersionConfig[] {
    return deployedVersions(config).filter((v) => v.weight > 0);
}

/** The split the VirtualService applies, by version. */
export function trafficSplit(config: Pick<ReleaseConfig, "versions">): Record<string, number> {
    return Object.fromEntries(routedVersions(config).map((v) => [v.name, v.weight]));
}
