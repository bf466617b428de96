import type { ReleaseSpec } from "../config/index.ts";
import { namespaceInjectionLabels } from "../mesh/injection.ts";
import type { NamespaceManifest } from "./types.ts";

/**
 * The release's namespace, labelled for sidecar injection with exactly one label: with both,
 * `istio-injection` wins and the revision would be silently ignored (see mesh/injection.ts).
 */
export function namespaceManifest(config: Pick<ReleaseSpec, "namespace" | "injectionRevision">): NamespaceManifest {
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: config.namespace, labels: namespaceInjectionLabels(config.injectionRevision) },
    };
}
