import type { ReleaseConfig } from "../config.ts";
import type { NamespaceManifest } from "./types.ts";

/**
 * The release's namespace, labelled for sidecar injection. Exactly one injection label: with both,
 * the revision label wins on some Istio versions and the legacy one on others.
 */
export function namespaceManifest(config: Pick<ReleaseConfig, "namespace" | "injectionRevision">): NamespaceManifest {
    const injection: Record<string, string> = config.injectionRevision === null
        ? { "istio-injection": "enabled" }
        : { "istio.io/rev": config.injectionRevision };
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: config.namespace, labels: injection },
    };
}
