// The plain Kubernetes objects the release is made of. Builders return these; the Pulumi
// component registers them through each cluster's provider, and `npm run render` writes them as YAML.
// Every kind is typed from its published schema, erased at run time, so that a misspelt field or an
// enum value Istio does not know (`mode: "ISTIO_MUTAL"`) fails the type check: the Kubernetes kinds
// borrow @pulumi/kubernetes's types, the Istio kinds @kubernetes-models/istio's (generated from Istio's
// CRDs). Istio serves one schema under each of the API versions the config allows, so the v1 types
// stand for all of them; the tests validate every object against each version's schema as well.
import type { IDestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1/DestinationRule";
import type { IGateway } from "@kubernetes-models/istio/networking.istio.io/v1/Gateway";
import type { IVirtualService } from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService";
import type { IPeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication";
import type * as k8s from "@pulumi/kubernetes";
import type { ReleaseCluster } from "../config/index.ts";

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

/** The spec of each Istio kind the release writes. */
export interface IstioSpecs {
    DestinationRule: NonNullable<IDestinationRule["spec"]>;
    Gateway: NonNullable<IGateway["spec"]>;
    VirtualService: NonNullable<IVirtualService["spec"]>;
    PeerAuthentication: NonNullable<IPeerAuthentication["spec"]>;
}

export type IstioKind = keyof IstioSpecs;

/** One Istio object: its API version comes from config (`istioApiVersion`), its spec is typed by kind. */
export interface IstioObject<K extends IstioKind> {
    apiVersion: string;
    kind: K;
    metadata: ObjectMeta;
    spec: IstioSpecs[K];
}

export type DestinationRuleManifest = IstioObject<"DestinationRule">;
export type GatewayManifest = IstioObject<"Gateway">;
export type VirtualServiceManifest = IstioObject<"VirtualService">;
export type PeerAuthenticationManifest = IstioObject<"PeerAuthentication">;
export type IstioManifest = DestinationRuleManifest | GatewayManifest | VirtualServiceManifest | PeerAuthenticationManifest;

/** A Kubernetes object as it is applied: apiVersion, kind, metadata and the kind's own fields. */
export type Manifest = NamespaceManifest | DeploymentManifest | ServiceManifest | IstioManifest;

/** What an object is for in the release: the plan states its edges between these. */
export type ObjectRole =
    | "namespace"
    | "service"
    | "workload"
    | "subsets"
    | "gateway"
    | "routes"
    | "mtls-policy";

/** One object of a cluster's plan, with what must be in place before it. */
export interface PlannedObject {
    role: ObjectRole;
    manifest: Manifest;
    /**
     * Objects of the same cluster this one must follow: they are created and updated before it, and,
     * when both leave the stack, deleted after it (Pulumi deletes in reverse dependency order).
     */
    follows: readonly PlannedObject[];
    /** Whether Pulumi must refuse to delete it (the namespace: deleting it deletes everything in it). */
    protect: boolean;
}

/** What one cluster receives. */
export interface ClusterPlan<C extends ReleaseCluster = ReleaseCluster> {
    cluster: C;
    /** In an order where every object comes after the objects it follows. */
    objects: readonly PlannedObject[];
    /** The objects' manifests, in the same order, for readers that need no edges (render, analyze). */
    manifests: readonly Manifest[];
}

/**
 * The Kubernetes provider's per-object switch to take fields back from other field managers on apply.
 * The release's routing and mTLS objects (every Istio object) carry it: a hand edit of a weight or a TLS
 * mode must not survive `pulumi up --refresh`, and no controller shares ownership of their specs. The
 * Deployments, Services and the namespace do not: an HorizontalPodAutoscaler owns `replicas` for good
 * reason. See README, "Hand edits of the release's objects".
 */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

/** An Istio object of the release: named, in the release's namespace, owned by the stack against hand edits. */
export function istioManifest<K extends IstioKind>(
    apiVersion: string, kind: K, metadata: { name: string; namespace: string }, spec: IstioSpecs[K],
): IstioObject<K> {
    return { apiVersion, kind, metadata: { ...metadata, annotations: { [PATCH_FORCE_ANNOTATION]: "true" } }, spec };
}
