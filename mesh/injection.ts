// Which labels put a namespace's pods in the mesh. Istio's injector webhooks select namespaces by
// label: the default revision's on `istio-injection=enabled`, a revision's on `istio.io/rev=<rev>`
// only where `istio-injection` is absent. So with both labels set, `istio-injection` wins and the
// revision label is ignored (Istio's sidecar-injection docs say the same).

export const INJECTION_LABEL = "istio-injection";
export const REVISION_LABEL = "istio.io/rev";
/** The pod label (or annotation) with which one workload opts out: `"false"`. */
export const POD_INJECTION_LABEL = "sidecar.istio.io/inject";

/** The one label that turns injection on: the default revision's, or the named revision's. */
export function namespaceInjectionLabels(revision: string | null): Record<string, string> {
    return revision === null ? { [INJECTION_LABEL]: "enabled" } : { [REVISION_LABEL]: revision };
}

/** Whether a namespace's labels get its pods a sidecar, and from which revision. */
export type NamespaceInjection =
    | { injected: true; revision: string | null }
    | { injected: false };

/** `revision: null` is the default revision. */
export function namespaceInjection(labels: Readonly<Record<string, string>>): NamespaceInjection {
    const injection = labels[INJECTION_LABEL];
    if (injection !== undefined) {
        return injection === "enabled" ? { injected: true, revision: null } : { injected: false };
    }
    const revision = labels[REVISION_LABEL];
    return revision !== undefined && revision !== "" ? { injected: true, revision } : { injected: false };
}
