// The validated, defaulted configuration the release is built from: what components and builders receive.
import type { IstioApiVersion, SecurityApiVersion } from "../mesh/api-versions.ts";
import type { RolloutSettings } from "./rollout.ts";
import type { RawConfig } from "./schema.ts";

/** One Kubernetes cluster of the mesh, with the credentials its provider uses. */
export interface ClusterConfig {
    name: string;
    /** A kubeconfig context name; exactly one of context, kubeconfig and renderYamlToDirectory is set. */
    context?: string;
    /** A whole kubeconfig (a Pulumi secret in the stack file). */
    kubeconfig?: string;
    /** Istio config (DestinationRule, Gateway, VirtualService) is applied here. */
    istioConfig: boolean;
    /** Workloads and the Service run here; false marks a config-only API server. */
    workloads: boolean;
    /**
     * The provider writes this cluster's manifests into the directory instead of applying them
     * (its render mode): previews and `up` without a cluster, e.g. in review or in CI.
     */
    renderYamlToDirectory?: string;
}

/** One version of the workload and where it runs. */
export interface VersionConfig {
    name: string;
    clusters: string[];
    replicas: number;
    image: string;
    retired: boolean;
    weight: number;
    resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
}

/** The validated, defaulted configuration the release is built from. */
export interface ReleaseConfig {
    clusters: ClusterConfig[];
    versions: VersionConfig[];
    namespace: string;
    service: RawConfig["service"];
    gateway: RawConfig["gateway"];
    virtualService: RawConfig["virtualService"];
    istioApiVersion: IstioApiVersion;
    securityApiVersion: SecurityApiVersion;
    injectionRevision: string | null;
    peerAuthentication: RawConfig["peerAuthentication"];
    protectNamespace: boolean;
    /** The plan `npm run rollout` follows; durations in milliseconds. The program itself ignores it. */
    rollout: RolloutSettings;
}
