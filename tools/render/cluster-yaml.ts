// One cluster's objects as one multi-document YAML file, in an order that does not depend on the
// order of keys in the stack file: diffs of rendered/ then show real changes only.
import { stringify } from "yaml";
import type { ClusterPlan, Manifest } from "../../manifests/types.ts";
import { RENDER_MARKER } from "./marker.ts";

/**
 * Kinds in the order `kubectl apply -f` needs them: the namespace before what lives in it, and subsets
 * (DestinationRule) and the Gateway before the VirtualService that routes to them.
 */
export const KIND_ORDER = [
    "Namespace", "PeerAuthentication", "Service", "Deployment", "DestinationRule", "Gateway", "VirtualService",
] as const;

function kindRank(kind: string): number {
    const rank = (KIND_ORDER as readonly string[]).indexOf(kind);
    return rank === -1 ? KIND_ORDER.length : rank;
}

/** Sorted by kind (in apply order), then namespace, then name. */
export function sortManifests(manifests: readonly Manifest[]): Manifest[] {
    const text = (m: Manifest) => `${m.kind}\u0000${m.metadata.namespace ?? ""}\u0000${m.metadata.name}`;
    return [...manifests].sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || compareText(text(a), text(b)));
}

/** Code-point order, the same on every machine and locale. */
function compareText(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** The file name a cluster's objects are written to. */
export function clusterFileName(cluster: string): string {
    return `${cluster}.yaml`;
}

/** Turns a manifest into one YAML document. */
export type DocumentRenderer = (manifest: Manifest) => string;

/**
 * A renderer that writes each distinct object once: most objects repeat across clusters (the
 * Service everywhere, the Istio objects in every config target, a version's Deployment in each of
 * its clusters), and YAML serialisation is most of render's time on a large mesh.
 */
export function memoisedDocumentRenderer(): DocumentRenderer {
    const rendered = new Map<string, string>();
    return (manifest) => {
        const key = JSON.stringify(manifest);
        let text = rendered.get(key);
        if (text === undefined) {
            text = stringify(manifest, { lineWidth: 0, aliasDuplicateObjects: false });
            rendered.set(key, text);
        }
        return text;
    };
}

/** The YAML text of one cluster's plan: render's marker line, then where it came from. */
export function clusterYaml(plan: ClusterPlan, source: string, render: DocumentRenderer = memoisedDocumentRenderer()): string {
    const header = `${RENDER_MARKER}\n# Cluster ${plan.cluster.name}, from ${source}.\n`;
    return header + sortManifests(plan.manifests).map((m) => `---\n${render(m)}`).join("");
}
