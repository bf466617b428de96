// The Pulumi program as a function: index.ts exports what it returns (the CLI runs index.ts), and the
// rollout hands it to the Automation API as an inline program, so both deploy exactly the same thing.
import * as pulumi from "@pulumi/pulumi";
import { unreachableClusters, unreachableMessage } from "./components/cluster-reachability.ts";
import { clusterProvider } from "./components/cluster-provider.ts";
import { GRAYSCALE_RELEASE_TYPE_BEFORE_0_2, GrayscaleRelease, type GrayscaleReleaseArgs } from "./components/grayscale-release.ts";
import { ConfigError, parseEngineConfig, type ReleaseConfig } from "./config/index.ts";
import { engineConfigFromRuntime } from "./config/pulumi-runtime.ts";

/** The stack outputs. */
export interface ReleaseOutputs {
    /** Per cluster, "Kind/name" of every object placed there. */
    placement: Record<string, string[]>;
    /** The split the VirtualService applies (versions without traffic are left out). */
    split: Record<string, number>;
    /** Check the split at http://<ingress gateway address><checkPath>, e.g. with `npm run verify`. */
    checkPath: string;
}

function readReleaseConfig(): ReleaseConfig {
    try {
        // Every key the engine passed, not only the known ones: a misspelt key is reported, not ignored.
        return parseEngineConfig(engineConfigFromRuntime());
    } catch (err) {
        // A RunError prints its message without a stack trace: the message is the whole story.
        throw err instanceof ConfigError ? new pulumi.RunError(err.message) : err;
    }
}

/**
 * Reads and validates the stack config, checks that every cluster's API server answers, then registers
 * the release. Call once per program run.
 */
export async function releaseProgram(): Promise<ReleaseOutputs> {
    const config = readReleaseConfig();
    // Stop before anything is registered when a cluster is down: no split gets half applied.
    const unreachable = await unreachableClusters(config.clusters);
    if (unreachable.length > 0) {
        throw new pulumi.RunError(unreachableMessage(unreachable));
    }
    const release = new GrayscaleRelease(config.app.name, releaseArgsFromConfig(config));
    return { placement: release.placement, split: release.split, checkPath: release.checkPath };
}

/**
 * The component's args from a stack's config: the same keys, with a provider per cluster made from
 * its context, kubeconfig or render directory. Before 0.2 the providers were the component's
 * children; the alias keeps them (and every object created through them) in place.
 */
export function releaseArgsFromConfig(config: ReleaseConfig): GrayscaleReleaseArgs {
    const releaseName = config.app.name;
    const formerParent = pulumi.createUrn(releaseName, GRAYSCALE_RELEASE_TYPE_BEFORE_0_2);
    const clusters = Object.fromEntries(config.clusters.map((cluster) => [cluster.name, {
        provider: clusterProvider(`${releaseName}-${cluster.name}`, cluster, { aliases: [{ parent: formerParent }] }),
        istioConfig: cluster.istioConfig,
        workloads: cluster.workloads,
        ...(cluster.weights === undefined ? {} : { weights: cluster.weights }),
    }]));
    const { sticky, ...routing } = config.routing;
    return {
        app: config.app,
        clusters,
        versions: Object.fromEntries(config.versions.map((v) => [v.name, {
            image: v.image, clusters: v.clusters, replicas: v.replicas, retired: v.retired, resources: v.resources,
        }])),
        weights: Object.fromEntries(config.versions.map((v) => [v.name, v.weight])),
        namespace: config.namespace,
        service: config.service,
        gateway: config.gateway,
        virtualService: config.virtualService,
        istioApiVersion: config.istioApiVersion,
        routing: { ...routing, ...(sticky === undefined ? {} : { sticky: { version: sticky.version, cookie: sticky.cookie, maxAge: `${sticky.maxAgeMs}ms` } }) },
        injection: { revision: config.injectionRevision },
        peerAuthentication: config.peerAuthentication,
        createNamespace: config.createNamespace,
        protectNamespace: config.protectNamespace,
    };
}
