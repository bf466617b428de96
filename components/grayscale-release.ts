import * as pulumi from "@pulumi/pulumi";
import type { ReleaseConfig } from "../config/index.ts";
import { trafficSplit } from "../manifests/labels.ts";
import { planRelease } from "../manifests/plan.ts";
import { clusterProvider } from "./cluster-provider.ts";
import { ClusterRelease } from "./cluster-release.ts";

const TYPE = "helloworld-grayscale:index:GrayscaleRelease";

/** The path on the ingress gateway that answers with the serving version. */
export const CHECK_PATH = "/hello";

export interface GrayscaleReleaseArgs {
    /** The validated stack config (see config/); the component never reads pulumi.Config itself. */
    config: ReleaseConfig;
}

/**
 * The whole grayscale release: one Kubernetes provider per cluster and, through each, that cluster's
 * share of the plan (namespace, workloads, Service, Istio routing).
 */
export class GrayscaleRelease extends pulumi.ComponentResource {
    /** Per cluster, "Kind/name" of every object placed there. */
    readonly placement: Record<string, string[]>;
    /** The split the VirtualService applies: version -> weight, versions without traffic left out. */
    readonly split: Record<string, number>;
    /** The ingress path that tells which version answered. */
    readonly checkPath: string;

    constructor(name: string, args: GrayscaleReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super(TYPE, name, {}, opts);
        const { config } = args;

        this.placement = {};
        for (const plan of planRelease(config)) {
            const clusterName = `${name}-${plan.cluster.name}`;
            // The provider is a child of this component, not of the ClusterRelease that uses it: it is
            // handed to the ClusterRelease through opts, so it must exist before the ClusterRelease does.
            const provider = clusterProvider(clusterName, plan.cluster, { parent: this });
            const cluster = new ClusterRelease(clusterName, { objects: plan.objects }, { parent: this, providers: [provider] });
            this.placement[plan.cluster.name] = cluster.objects;
        }
        this.split = trafficSplit(config);
        this.checkPath = CHECK_PATH;
        this.registerOutputs({ placement: this.placement, split: this.split, checkPath: this.checkPath });
    }
}
