import * as pulumi from "@pulumi/pulumi";
import { planRelease } from "../manifests/plan.ts";
import { serviceHost, trafficSplit } from "../manifests/labels.ts";
import { ClusterRelease } from "./cluster-release.ts";
import { type GrayscaleReleaseArgs, resolveReleaseArgs } from "./release-args.ts";

/** This component's type token; the package's, not any one project's. */
export const GRAYSCALE_RELEASE_TYPE = "istio-grayscale:index:GrayscaleRelease";
/** Its token before 0.2, when it was helloworld-grayscale's own: stacks made then update in place. */
export const GRAYSCALE_RELEASE_TYPE_BEFORE_0_2 = "helloworld-grayscale:index:GrayscaleRelease";

export type { GrayscaleReleaseArgs, ReleaseClusterArgs, ReleaseVersionArgs } from "./release-args.ts";

/**
 * A grayscale (canary) release of one app across the clusters of one Istio mesh: in each cluster,
 * through the provider the caller hands in, the namespace with sidecar injection, the versions'
 * Deployments, the Service (the same everywhere) and, in Istio config clusters, the DestinationRule
 * (a subset per version, ISTIO_MUTUAL), the ingress Gateway, the weighted VirtualService and the
 * namespace's PeerAuthentication. A weight change updates the VirtualServices alone.
 *
 *     new GrayscaleRelease("checkout", {
 *         app: { name: "checkout", port: 8080, healthPath: "/healthz" },
 *         clusters: { east: { provider: eastProvider, istioConfig: true } },
 *         versions: { v1: { image: "registry.example.com/checkout:1.4.2", clusters: ["east"] },
 *                     v2: { image: build.imageName, clusters: ["east"] } },
 *         weights: { v1: 90, v2: 10 },
 *     });
 *
 * The args are checked before anything is registered, every problem at once (a ConfigError).
 */
export class GrayscaleRelease extends pulumi.ComponentResource {
    /** The split the VirtualServices apply: version -> weight, versions without traffic left out. */
    readonly split: Record<string, number>;
    /** The mesh-wide host of the app's Service, e.g. checkout.shop.svc.cluster.local. */
    readonly serviceHost: string;
    /** The path whose answers tell which version served them (`npm run verify`). */
    readonly checkPath: string;
    /** Per cluster, "Kind/name" of every object placed there. */
    readonly placement: Record<string, string[]>;
    /** Per Istio config cluster, the objects that route traffic (DestinationRule, Gateway, VirtualService), for `dependsOn`. */
    readonly routing: Record<string, pulumi.Resource[]>;

    constructor(name: string, args: GrayscaleReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
        const { spec, providers } = resolveReleaseArgs(name, args);
        super(GRAYSCALE_RELEASE_TYPE, name, {}, {
            ...opts,
            aliases: [...(opts?.aliases ?? []), { type: GRAYSCALE_RELEASE_TYPE_BEFORE_0_2 }],
        });

        this.placement = {};
        this.routing = {};
        for (const plan of planRelease(spec)) {
            const provider = providers[plan.cluster.name] as pulumi.ProviderResource;
            const cluster = new ClusterRelease(`${name}-${plan.cluster.name}`, { objects: plan.objects }, { parent: this, providers: [provider] });
            this.placement[plan.cluster.name] = cluster.objects;
            if (cluster.routing.length > 0) {
                this.routing[plan.cluster.name] = cluster.routing;
            }
        }
        this.split = trafficSplit(spec);
        this.serviceHost = serviceHost(spec);
        this.checkPath = spec.app.checkPath;
        this.registerOutputs({ split: this.split, serviceHost: this.serviceHost, checkPath: this.checkPath, placement: this.placement });
    }
}
