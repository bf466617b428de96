// The validated, defaulted description of a release: what the component registers and the builders
// (manifests/) turn into objects. ReleaseSpec is what the component needs; ReleaseConfig is a stack's
// config, which adds each cluster's credentials and the rollout's plan.
import type { Input } from "@pulumi/pulumi";
import type { IstioApiVersion, SecurityApiVersion } from "../mesh/api-versions.ts";
import type { EffectiveService } from "./effective.ts";
import type { RolloutSettings } from "./rollout.ts";
import type { RouteMatch } from "./routing.ts";
import type { RawConfig } from "./schema.ts";

/** The application the release runs (the `app` key). */
export interface AppConfig {
    /** The `app` label of every pod, which the Service selects; also the Deployments' prefix and container name. */
    name: string;
    /** The port the container listens on: the Service's targetPort and the probes' port. */
    port: number;
    /** Where the container answers readiness and liveness probes over HTTP; without it they only open the port. */
    healthPath?: string;
    /** An environment variable the container gets set to its version's name (the sample reports it). */
    versionVariable?: string;
    /** The path whose answers tell which version served them, for `verify` and the rollout. */
    checkPath: string;
    /** How those answers name the version: a regular expression whose first group (or group `version`) is it. */
    versionPattern: string;
}

/** One cluster of the mesh and its roles in the release. */
export interface ReleaseCluster {
    name: string;
    /** Istio config (DestinationRule, Gateway, VirtualService) is applied here. */
    istioConfig: boolean;
    /** Workloads and the Service run here; false marks a config-only API server. */
    workloads: boolean;
    /** This config target's own split (a wave), in place of the release's weights. */
    weights?: Record<string, number>;
}

/** One Kubernetes cluster of a stack's config, with the credentials its provider uses. */
export interface ClusterConfig extends ReleaseCluster {
    /** A kubeconfig context name; exactly one of context, kubeconfig and renderYamlToDirectory is set. */
    context?: string;
    /** A whole kubeconfig (a Pulumi secret in the stack file). */
    kubeconfig?: string;
    /**
     * The provider writes this cluster's manifests into the directory instead of applying them
     * (its render mode): previews and `up` without a cluster, e.g. in review or in CI.
     */
    renderYamlToDirectory?: string;
}

/** One version of the workload, where it runs and its share of the traffic. */
export interface VersionSpec {
    name: string;
    clusters: string[];
    replicas: number;
    /** May come from another resource, such as an image build. */
    image: Input<string>;
    retired: boolean;
    weight: number;
    resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
}

/** A version as a stack's config gives it: its image is a string in the stack file. */
export interface VersionConfig extends VersionSpec {
    image: string;
}

/** Routes ahead of and beside the split (the `routing` key), durations in milliseconds. */
export interface RoutingSpec {
    mesh: boolean;
    matches: RouteMatch[];
    mirror?: { version: string; percent: number };
    sticky?: { version: string; cookie: string; maxAgeMs: number };
}

/** The validated, defaulted release: every name and default resolved. */
export interface ReleaseSpec {
    app: AppConfig;
    clusters: ReleaseCluster[];
    versions: VersionSpec[];
    namespace: string;
    service: EffectiveService;
    gateway: Required<RawConfig["gateway"]>;
    virtualService: Required<RawConfig["virtualService"]>;
    istioApiVersion: IstioApiVersion;
    securityApiVersion: SecurityApiVersion;
    injectionRevision: string | null;
    peerAuthentication: RawConfig["peerAuthentication"];
    routing: RoutingSpec;
    /** The release creates its namespace and the namespace's PeerAuthentication (false: another release owns them). */
    createNamespace: boolean;
    protectNamespace: boolean;
}

/** A stack's validated, defaulted configuration. */
export interface ReleaseConfig extends ReleaseSpec {
    clusters: ClusterConfig[];
    versions: VersionConfig[];
    /** The plan `npm run rollout` follows; durations in milliseconds. The program itself ignores it. */
    rollout: RolloutSettings;
}
