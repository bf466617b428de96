// Which namespaces are in the mesh. The mesh-only policies (port protocol names, injection, workload
// labels, PeerAuthentication, Service sameness) judge only these: a stack that also deploys kube-dns
// fixes, or a cert-manager or ingress-nginx chart beside the release, must not fail on rules that only
// matter to workloads with a sidecar. Namespace sameness makes this a property of the name, not of one
// cluster: a namespace labelled for injection in one cluster is a mesh namespace in all of them.
import { namespaceInjection } from "../../mesh/injection.ts";
import type { K8sObject } from "./model.ts";
import { at, isUnknown, stringMap, UNKNOWN, type Unknown } from "./values.ts";

export interface MeshScope {
    /** Namespaces known to be in the mesh, sorted. */
    readonly namespaces: readonly string[];
    /** Whether a namespace is in the mesh; UNKNOWN while preview cannot know a Namespace's labels. */
    inMesh(namespace: string): boolean | Unknown;
}

/**
 * A namespace is in the mesh when its labels turn sidecar injection on (`istio-injection: enabled`,
 * or `istio.io/rev`) in some cluster, or when it holds a Service Istio routes to (`routedNamespaces`).
 */
export function meshScope(namespaceObjects: readonly K8sObject[], routedNamespaces: ReadonlySet<string>): MeshScope {
    const members = new Set(routedNamespaces);
    const undecided = new Set<string>();
    for (const ns of namespaceObjects) {
        if (typeof ns.name !== "string") {
            continue;
        }
        const labels = stringMap(at(ns.body, "metadata", "labels"));
        if (isUnknown(labels)) {
            undecided.add(ns.name);
        } else if (namespaceInjection(labels ?? {}).injected) {
            members.add(ns.name);
        }
    }
    return {
        namespaces: [...members].sort(),
        inMesh: (namespace) => members.has(namespace) || (undecided.has(namespace) ? UNKNOWN : false),
    };
}
