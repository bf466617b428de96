// Annotations the release writes and the policy pack reads: one spelling for both.

/**
 * On a VirtualService whose weights are its own cluster's (`clusters.<name>.weights`, a wave of a
 * cluster-by-cluster rollout): the difference from the same VirtualService in the other config
 * clusters is deliberate. Without it, routes that differ across primaries are an accident the pack fails.
 */
export const CLUSTER_WEIGHTS_ANNOTATION = "istio-grayscale.io/cluster-weights";
