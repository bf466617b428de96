import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { Manifest } from "../manifests/types.ts";

const TYPE = "helloworld-grayscale:index:ClusterRelease";

export interface ClusterReleaseArgs {
    /** The objects this cluster receives, from planRelease(). */
    manifests: Manifest[];
    /** The provider of this cluster; every object is created through it. */
    provider: k8s.Provider;
    /** Protect the namespace against deletion: deleting it deletes everything in it. */
    protectNamespace: boolean;
}

/** Registers one cluster's share of the release through that cluster's provider. */
export class ClusterRelease extends pulumi.ComponentResource {
    /** Every Kubernetes object registered, in plan order. */
    readonly resources: pulumi.CustomResource[];
    /** "Kind/name" of each object, for the stack outputs. */
    readonly objects: string[];

    constructor(name: string, args: ClusterReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
        // No inputs on the component: its children carry the state, and a weight change must show
        // as an update of the VirtualService alone, not of its parent too.
        super(TYPE, name, {}, opts);
        const childOpts = { parent: this, provider: args.provider };

        const [namespaceManifest, ...rest] = args.manifests;
        if (namespaceManifest?.kind !== "Namespace") {
            throw new Error(`${name}: a cluster's plan must start with its Namespace`);
        }
        const namespace = registerManifest(`${name}-${namespaceManifest.metadata.name}`, namespaceManifest, {
            ...childOpts,
            protect: args.protectNamespace,
        });

        const registered: pulumi.CustomResource[] = [namespace];
        const byKind = new Map<string, pulumi.CustomResource>();
        for (const manifest of rest) {
            // A VirtualService that names a subset before its DestinationRule defines it makes Envoy
            // answer 503 (no route), so routes wait for the subsets and the gateway.
            const routeDeps = manifest.kind === "VirtualService"
                ? ["DestinationRule", "Gateway"].flatMap((k) => byKind.get(k) ?? [])
                : [];
            const resource = registerManifest(`${name}-${manifest.metadata.name}`, manifest, {
                ...childOpts,
                dependsOn: [namespace, ...routeDeps],
            });
            byKind.set(manifest.kind, resource);
            registered.push(resource);
        }
        this.resources = registered;
        this.objects = args.manifests.map((m) => `${m.kind}/${m.metadata.name}`);
        this.registerOutputs({ objects: this.objects });
    }
}

function registerManifest(name: string, manifest: Manifest, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    switch (manifest.kind) {
        case "Namespace":
            return new k8s.core.v1.Namespace(name, manifest, opts);
        case "Deployment":
            return new k8s.apps.v1.Deployment(name, manifest, opts);
        case "Service":
            return new k8s.core.v1.Service(name, manifest, opts);
        default:
            // Istio's kinds: the provider applies them as custom resources of the configured API version.
            return new k8s.apiextensions.CustomResource(name, { ...manifest }, opts);
    }
}
