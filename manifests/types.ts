// The plain Kubernetes objects the release is made of. Builders return these; the Pulumi
// component registers them through each cluster's provider, and `npm run render` writes them as YAML.
// The Kubernetes kinds borrow @pulumi/kubernetes's types (erased at run time) so that a misspelt
// field fails the type check; Istio's kinds are checked against Istio's schemas in the tests.
import type * as k8s from "@pulumi/kubernetes";
import type { ClusterConfig } from "../config/index.ts";

export interface ObjectMeta {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}

export interface NamespaceManifest {
    apiVersion: "v1";
    kind: "Namespace";
    metadata: ObjectMeta;
}

export interface DeploymentManifest {
    apiVersion: "apps/v1";
    kind: "Deployment";
    metadata: ObjectMeta;
    spec: k8s.types.input.apps.v1.DeploymentSpec;
}

export interface ServiceManifest {
    apiVersion: "v1";
    kind: "Service";
    metadata: ObjectMeta;
    spec: k8s.types.input.core.v1.ServiceSpec;
}

export type IstioKind = "DestinationRule" | "Gateway" | "VirtualService" | "PeerAuthentication";

export interface IstioManifest {
    apiVersion: string;
    kind: IstioKind;
    metadata: ObjectMeta;
    spec: Record<string, unknown>;
}

/** A Kubernetes object as it is applied: apiVersion, kind, metadata and the kind's own fields. */
export type Manifest = NamespaceManifest | DeploymentManifest | ServiceManifest | IstioManifest;

/** What one cluster receives. */
export interface ClusterPlan {
    cluster: ClusterConfig;
    manifests: Manifest[];
}

/** An Istio object of the release: named, in the release's namespace. */
export function istioManifest(
    apiVersion: string, kind: IstioKind, metadata: { name: string; namespace: string }, spec: Record<string, unknown>,
): IstioManifest {
    return { apiVersion, kind, metadata, spec };
}
