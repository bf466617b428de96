// From the stack file's shape (maps keyed by name, defaults left out) to the shape the release uses.
import { ISTIO_API_VERSIONS } from "../mesh/api-versions.ts";
import { DEFAULT_IMAGES, DEFAULT_RESOURCES } from "./defaults.ts";
import type { RawConfig } from "./schema.ts";
import type { ReleaseConfig } from "./types.ts";

/** Only called once every rule passed: every version has an image (its own or a default). */
export function normalise(cfg: RawConfig): ReleaseConfig {
    return {
        clusters: Object.entries(cfg.clusters).map(([name, c]) => ({ name, ...c })),
        versions: Object.entries(cfg.versions).map(([name, v]) => ({
            name,
            clusters: v.retired ? [] : v.clusters,
            replicas: v.replicas,
            image: v.image ?? (DEFAULT_IMAGES[name] as string),
            retired: v.retired,
            weight: cfg.weights[name] ?? 0,
            resources: v.resources ?? DEFAULT_RESOURCES,
        })),
        namespace: cfg.namespace,
        service: cfg.service,
        gateway: cfg.gateway,
        virtualService: cfg.virtualService,
        istioApiVersion: cfg.istioApiVersion,
        securityApiVersion: ISTIO_API_VERSIONS[cfg.istioApiVersion],
        injectionRevision: cfg.injection.revision,
        peerAuthentication: cfg.peerAuthentication,
        protectNamespace: cfg.protectNamespace,
        rollout: cfg.rollout,
    };
}
