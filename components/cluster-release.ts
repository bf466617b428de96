import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { otherApiVersions } from "../manifests/api-versions.ts";
import type { Manifest, ObjectRole, PlannedObject } from "../manifests/types.ts";

const TYPE = "istio-grayscale:index:ClusterRelease";
/** Its token before 0.2 (see GrayscaleRelease). */
const TYPE_BEFORE_0_2 = "helloworld-grayscale:index:ClusterRelease";

/** The roles of the objects that route traffic, which a consumer may want to follow. */
const ROUTING_ROLES: ReadonlySet<ObjectRole> = new Set(["subsets", "gateway", "routes"]);

export interface ClusterReleaseArgs {
    /** This cluster's share of planRelease(): its objects, each with the objects it follows. */
    objects: readonly PlannedObject[];
}

/**
 * Registers one cluster's share of the release. The cluster's Kubernetes provider comes through
 * `opts.providers` and reaches every object through `parent`, as in pulumi-eks and awsx.
 */
export class ClusterRelease extends pulumi.ComponentResource {
    /** "Kind/name" of each object, for the stack outputs. */
    readonly objects: string[];
    /** The DestinationRule, Gateway and VirtualService, when this cluster holds Istio config. */
    readonly routing: pulumi.Resource[];

    constructor(name: string, args: ClusterReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
        // No inputs on the component: its children carry the state, and a weight change must show
        // as an update of the VirtualService alone, not of its parent too.
        super(TYPE, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: TYPE_BEFORE_0_2 }] });

        const registered = registerPlannedObjects(name, args.objects, this);
        this.objects = args.objects.map((o) => describe(o.manifest));
        this.routing = args.objects.filter((o) => ROUTING_ROLES.has(o.role)).map((o) => registered.get(o) as pulumi.CustomResource);
        this.registerOutputs({ objects: this.objects });
    }
}

/**
 * Registers a cluster's planned objects under `parent` (which carries the cluster's provider), each
 * after the objects it follows: the plan's edges become dependsOn as they are.
 */
export function registerPlannedObjects(
    name: string, objects: readonly PlannedObject[], parent: pulumi.Resource,
): Map<PlannedObject, pulumi.CustomResource> {
    const registered = new Map<PlannedObject, pulumi.CustomResource>();
    for (const object of objects) {
        const dependsOn = object.follows.map((followed) => {
            const resource = registered.get(followed);
            if (resource === undefined) {
                throw new Error(`${name}: ${describe(object.manifest)} follows ${describe(followed.manifest)}, which the plan does not list before it`);
            }
            return resource;
        });
        registered.set(object, registerManifest(`${name}-${object.manifest.metadata.name}`, object.manifest, {
            parent,
            dependsOn,
            protect: object.protect,
        }));
    }
    return registered;
}

function describe(manifest: Manifest): string {
    return `${manifest.kind}/${manifest.metadata.name}`;
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
            // Istio's kinds: custom resources, whose type token carries the API version. The aliases name
            // the same object under the other versions the config allows, so switching `istioApiVersion`
            // updates it in place; without them Pulumi would create the "new" object and then delete the
            // old one, which is the same API object (pulumi-kubernetes issues 546 and 1668).
            return new k8s.apiextensions.CustomResource(name, { ...manifest }, {
                ...opts,
                aliases: otherApiVersions(manifest.apiVersion).map((apiVersion) => ({ type: `kubernetes:${apiVersion}:${manifest.kind}` })),
            });
    }
}
