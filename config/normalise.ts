// From the stack file's shape (maps keyed by name, defaults left out) to the shape the release uses.
// The component's args have the same shape (with providers for cluster targets), and go through
// normaliseSpec too.
import { ISTIO_API_VERSIONS } from "../mesh/api-versions.ts";
import { DEFAULT_RESOURCES } from "./defaults.ts";
import { effectiveGatewayName, effectiveNamespace, effectiveService, effectiveStickyCookie, effectiveVirtualServiceName } from "./effective.ts";
import type { RawConfig } from "./schema.ts";
import type { ReleaseConfig, ReleaseSpec, VersionSpec } from "./types.ts";

type RawVersion = RawConfig["versions"][string];

/** The keys a release is made of, with versions whose image is of type I (a string in a stack file). */
export type SpecSource<I extends VersionSpec["image"]> = Omit<RawConfig, "clusters" | "versions" | "rollout"> & {
    versions: Record<string, Omit<RawVersion, "image"> & { image: I }>;
};

/** Everything of the release but its clusters; only called once every rule passed. */
export function normaliseSpec<I extends VersionSpec["image"]>(cfg: SpecSource<I>): Omit<ReleaseSpec, "clusters" | "versions"> & { versions: (VersionSpec & { image: I })[] } {
    return {
        app: cfg.app,
        versions: Object.entries(cfg.versions).map(([name, v]) => ({
            name,
            clusters: v.retired ? [] : v.clusters,
            replicas: v.replicas,
            image: v.image,
            retired: v.retired,
            weight: cfg.weights[name] ?? 0,
            resources: v.resources ?? DEFAULT_RESOURCES,
        })),
        namespace: effectiveNamespace(cfg),
        service: effectiveService(cfg),
        gateway: { ...cfg.gateway, name: effectiveGatewayName(cfg) },
        virtualService: { name: effectiveVirtualServiceName(cfg) },
        istioApiVersion: cfg.istioApiVersion,
        securityApiVersion: ISTIO_API_VERSIONS[cfg.istioApiVersion],
        injectionRevision: cfg.injection.revision,
        peerAuthentication: cfg.peerAuthentication,
        routing: {
            mesh: cfg.routing.mesh,
            matches: cfg.routing.matches,
            ...(cfg.routing.mirror === undefined ? {} : { mirror: cfg.routing.mirror }),
            ...(cfg.routing.sticky === undefined ? {} : {
                sticky: { version: cfg.routing.sticky.version, cookie: effectiveStickyCookie(cfg) as string, maxAgeMs: cfg.routing.sticky.maxAge },
            }),
        },
        createNamespace: cfg.createNamespace,
        protectNamespace: cfg.protectNamespace,
    };
}

/** A stack's whole config; only called once every rule passed. */
export function normalise(cfg: RawConfig): ReleaseConfig {
    return {
        ...normaliseSpec(cfg),
        clusters: Object.entries(cfg.clusters).map(([name, c]) => ({ name, ...c })),
        rollout: cfg.rollout,
    };
}
