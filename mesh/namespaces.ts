// Namespaces a release must not take over. Kubernetes' own exist in every cluster before the release
// does; in Istio's root namespace the release's `PeerAuthentication default` would stop being the
// namespace's policy and become the whole mesh's.

/** Istio's root namespace in a default install (meshConfig.rootNamespace). */
export const ISTIO_ROOT_NAMESPACE = "istio-system";

/** Each reserved namespace, with what goes wrong if the release lands there. */
export const RESERVED_NAMESPACES: Readonly<Record<string, string>> = {
    "kube-system": "it holds the cluster's own components",
    "kube-public": "it is readable by every client, unauthenticated ones included",
    "kube-node-lease": "it holds only the nodes' heartbeat Leases",
    "default": "it is where every object that names no namespace lands",
    [ISTIO_ROOT_NAMESPACE]: "it is Istio's root namespace: the release's PeerAuthentication would apply to the whole mesh",
};
