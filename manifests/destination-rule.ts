import type { ReleaseSpec } from "../config/index.ts";
import { deployedVersions, serviceHost, subsetName } from "./labels.ts";
import { istioManifest, type DestinationRuleManifest } from "./types.ts";

/** Mesh-issued certificates: the only TLS mode the policy pack accepts. */
export const MUTUAL_TLS = { tls: { mode: "ISTIO_MUTUAL" } } as const;

/**
 * One subset per deployed version. TLS is set in every subset as well as at the top level: a subset's
 * trafficPolicy replaces the top-level one wholesale, so a subset that later gains a policy (say,
 * connection pool limits) would otherwise silently drop mutual TLS.
 */
export function destinationRuleManifest(
    config: Pick<ReleaseSpec, "namespace" | "service" | "versions" | "istioApiVersion">,
): DestinationRuleManifest {
    const metadata = { name: config.service.name, namespace: config.namespace };
    return istioManifest(config.istioApiVersion, "DestinationRule", metadata, {
        host: serviceHost(config),
        trafficPolicy: MUTUAL_TLS,
        subsets: deployedVersions(config).map((v) => ({
            name: subsetName(v.name),
            labels: { version: v.name },
            trafficPolicy: MUTUAL_TLS,
        })),
    });
}
