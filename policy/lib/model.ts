// The one shape every rule reads: a Kubernetes object, the cluster it is applied to, and where it
// came from (a Pulumi URN under the engine, a file offline). The pack and `npm run analyze` both
// build these, so each rule exists once.
import { asObject, asString, at, isUnknown, UNKNOWN, type JsonObject, type Unknown } from "./values.ts";

/** The cluster an object is applied to: one Kubernetes provider under Pulumi, one file offline. */
export interface ClusterRef {
    /** Identity used to group objects: the provider's URN, or the cluster name offline. */
    readonly key: string;
    /** What messages call the cluster: the provider's resource name, or the file's base name. */
    readonly name: string;
}

export interface K8sObject {
    readonly cluster: ClusterRef;
    /** API group, "" for the core group. */
    readonly group: string;
    readonly version: string;
    readonly kind: string;
    readonly name: string | Unknown;
    /** Undefined for cluster-scoped kinds. */
    readonly namespace: string | Unknown | undefined;
    /** The whole object as the API server would receive it (apiVersion, kind, metadata, spec, ...). */
    readonly body: JsonObject;
    /** The Pulumi URN, when the engine sent the object. */
    readonly urn?: string;
    /** File and document number, when read from YAML. */
    readonly source?: string;
}

export const ISTIO_NETWORKING = "networking.istio.io";
export const ISTIO_SECURITY = "security.istio.io";

/** The kinds this pack knows to be cluster-scoped; every other kind is treated as namespaced. */
const CLUSTER_SCOPED = new Set([
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
    "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass", "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration", "APIService", "CSIDriver", "CSINode", "VolumeAttachment",
]);

/**
 * Splits a Pulumi Kubernetes type token (`kubernetes:apps/v1:Deployment`,
 * `kubernetes:networking.istio.io/v1beta1:DestinationRule`) into group, version and kind. Components
 * (`kubernetes:yaml/v2:ConfigGroup`, Helm releases), lists and server-side-apply patches are not whole
 * objects the API server stores, so they yield undefined.
 */
export function parseTypeToken(type: string): { group: string; version: string; kind: string } | undefined {
    const parts = type.split(":");
    if (parts.length !== 3 || parts[0] !== "kubernetes") {
        return undefined;
    }
    const [, groupVersion = "", kind = ""] = parts;
    const slash = groupVersion.lastIndexOf("/");
    if (slash < 0 || kind === "" || kind.endsWith("List") || kind.endsWith("Patch")) {
        return undefined;
    }
    const group = groupVersion.slice(0, slash);
    if (group === "yaml" || group === "helm.sh" || group === "kustomize") {
        return undefined;
    }
    return { group: group === "core" ? "" : group, version: groupVersion.slice(slash + 1), kind };
}

/** `apps/v1` → { group: "apps", version: "v1" }; `v1` → the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
    const slash = apiVersion.lastIndexOf("/");
    return slash < 0
        ? { group: "", version: apiVersion }
        : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export interface ObjectInput {
    cluster: ClusterRef;
    group: string;
    version: string;
    kind: string;
    body: JsonObject;
    /** Namespace for namespaced objects that name none (the provider's default namespace). */
    defaultNamespace?: string;
    urn?: string;
    source?: string;
    /**
     * The Pulumi resource name, used when metadata.name is missing: the Kubernetes provider then names
     * the object after the resource. Plain manifests have no such name (objectFromManifest refuses them).
     */
    fallbackName?: string;
}

export function makeObject(input: ObjectInput): K8sObject {
    const metadata = at(input.body, "metadata");
    const rawName = isUnknown(metadata) ? UNKNOWN : at(metadata, "name");
    const known = isUnknown(rawName) ? UNKNOWN : asString(rawName) || input.fallbackName;
    if (known === undefined) {
        throw new Error(`${input.kind} has no metadata.name and no resource name to stand for it`);
    }
    const name = known;
    let namespace: string | Unknown | undefined;
    if (!CLUSTER_SCOPED.has(input.kind)) {
        const rawNamespace = isUnknown(metadata) ? UNKNOWN : at(metadata, "namespace");
        namespace = isUnknown(rawNamespace)
            ? UNKNOWN
            : asString(rawNamespace) || input.defaultNamespace || "default";
    }
    return {
        cluster: input.cluster,
        group: input.group,
        version: input.version,
        kind: input.kind,
        name,
        namespace,
        body: input.body,
        ...(input.urn === undefined ? {} : { urn: input.urn }),
        ...(input.source === undefined ? {} : { source: input.source }),
    };
}

/** A plain manifest (from YAML) as an object of `cluster`, or a reason it is not a Kubernetes object. */
export function objectFromManifest(manifest: unknown, cluster: ClusterRef, source: string): K8sObject | string {
    const body = asObject(manifest);
    if (body === undefined) {
        return "is not a mapping (a Kubernetes object needs apiVersion, kind and metadata)";
    }
    const apiVersion = asString(body["apiVersion"]);
    const kind = asString(body["kind"]);
    if (apiVersion === undefined || apiVersion === "" || kind === undefined || kind === "") {
        return "has no apiVersion or kind, so it is not a Kubernetes object";
    }
    const name = at(body, "metadata", "name");
    if (typeof name !== "string" || name === "") {
        // Reported as such, not under a made-up name: the API server would refuse the object.
        const generated = asString(at(body, "metadata", "generateName"));
        const problem = name === undefined || name === null || name === ""
            ? `without metadata.name${generated === undefined ? "" : ` (generateName ${JSON.stringify(generated)} is not enough for kubectl apply)`}`
            : `whose metadata.name is ${JSON.stringify(name)}, not a string`;
        return `is a ${kind} ${problem}; a Kubernetes object must be named in metadata.name`;
    }
    return makeObject({ cluster, ...parseApiVersion(apiVersion), kind, body, source });
}

export function is(object: K8sObject, group: string, kind: string): boolean {
    return object.kind === kind && object.group === group;
}

/** `DestinationRule gray-demo/helloworld`, for messages; unknown parts read "(unknown)". */
export function describe(object: K8sObject): string {
    return `${object.kind} ${qualifiedName(object)}`;
}

export function qualifiedName(object: Pick<K8sObject, "name" | "namespace">): string {
    const name = isUnknown(object.name) ? "(unknown)" : object.name;
    if (object.namespace === undefined) {
        return name;
    }
    return `${isUnknown(object.namespace) ? "(unknown)" : object.namespace}/${name}`;
}
