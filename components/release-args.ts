// What a GrayscaleRelease is given, and how it is checked. The args are the stack config's keys
// (config/schema.ts, docs/config.md) with a Kubernetes provider in place of each cluster's context or
// kubeconfig, so one vocabulary, one set of defaults and one set of rules serve the stack-config
// program and every program that uses the component directly.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { z } from "zod";
import {
    type AppConfig, clusterSchema, ConfigError, type ConfigProblem, crossFieldProblems, flag, normaliseSpec, parseEachKey, rawConfigSchema,
    type ReleaseSpec, versionSchema,
} from "../config/index.ts";
import type { IstioApiVersion } from "../mesh/api-versions.ts";

/** One cluster of the mesh, reached through a provider the caller made (from an EKS or GKE cluster, a kubeconfig...). */
export interface ReleaseClusterArgs {
    provider: k8s.Provider;
    /** Istio config (DestinationRule, Gateway, VirtualService) goes here: every primary, or the one config cluster. Default false. */
    istioConfig?: boolean;
    /** The Service and the versions placed here run here; false for a config-only API server. Default true. */
    workloads?: boolean;
}

/** One version of the app. */
export interface ReleaseVersionArgs {
    /** A pinned image reference; may be the output of an image build. */
    image: pulumi.Input<string>;
    /** The workload clusters that run it (none once retired). */
    clusters?: string[];
    /** Pods per cluster. Default 1. */
    replicas?: number;
    /** Its pods and subset are removed; its weight must already be 0. Default false. */
    retired?: boolean;
    resources?: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
}

/**
 * The release of one app. Every key but the clusters' providers and the versions' images is a plain
 * value: they decide which objects exist, which must be known when the program runs.
 */
export interface GrayscaleReleaseArgs {
    /** The app: its pods' `app` label, its container's port, how it is probed and checked. */
    app: { name: string; port: number; healthPath?: string; versionVariable?: string; checkPath?: string; versionPattern?: string };
    /** The mesh's clusters, by name. */
    clusters: Record<string, ReleaseClusterArgs>;
    /** The app's versions, by name (the name is the pods' `version` label and the subset's name). */
    versions: Record<string, ReleaseVersionArgs>;
    /** The split, by version: whole numbers adding up to 100 (0 keeps a version's pods without traffic). */
    weights: Record<string, number>;
    /** Default: the app's name. */
    namespace?: string;
    /** Default: named after the app, on the app's port, port name http-<port>. */
    service?: { name?: string; port?: number; portName?: string };
    /** The ingress Gateway. Default: <app>-gateway, hosts ["*"], port 80, selecting istio: ingressgateway. */
    gateway?: { name?: string; hosts?: string[]; port?: number; selector?: Record<string, string> };
    /** Default: named after the app. */
    virtualService?: { name?: string };
    /** Default: networking.istio.io/v1. */
    istioApiVersion?: IstioApiVersion;
    /**
     * Mesh callers split too (default true); routes ahead of the weights for requests with given
     * headers or cookies; a mirrored share; sticky users. See docs/config.md, `routing`.
     */
    routing?: {
        mesh?: boolean;
        matches?: { version: string; headers?: Record<string, string>; cookie?: Record<string, string> }[];
        mirror?: { version: string; percent: number };
        sticky?: { version: string; cookie?: string; maxAge: string | number };
    };
    /** Sidecar injection by revision label; default istio-injection: enabled. */
    injection?: { revision?: string | null };
    /** The namespace's PeerAuthentication. Default STRICT. */
    peerAuthentication?: "STRICT" | "PERMISSIVE" | "none";
    /**
     * The release creates its namespace (with sidecar injection) and the namespace's PeerAuthentication.
     * Set false for the second release in a namespace, and make it depend on the first. Default true.
     */
    createNamespace?: boolean;
    /** Pulumi refuses to delete the namespace (and so everything in it). Default true. */
    protectNamespace?: boolean;
}

/** The release's clusters with their providers, and every other key resolved. */
export interface ResolvedReleaseArgs {
    spec: ReleaseSpec;
    providers: Record<string, k8s.Provider>;
}

const image = z.custom<pulumi.Input<string>>(
    (value) => typeof value === "string" || pulumi.Output.isInstance(value) || value instanceof Promise,
    { error: "must be an image reference: a string, or an Output<string> such as an image build's" },
);

const argsShape = {
    ...rawConfigSchema.omit({ clusters: true, versions: true, rollout: true }).shape,
    clusters: z.record(z.string(), z.strictObject({
        provider: z.custom<k8s.Provider>((value) => k8s.Provider.isInstance(value), { error: "must be a Kubernetes provider (new k8s.Provider(...))" }),
        istioConfig: flag.default(false),
        workloads: flag.default(true),
        weights: clusterSchema.shape.weights,
    }, { error: "must be a map such as { provider, istioConfig: true }" }), { error: "is required: a map of cluster name to { provider }" }),
    versions: z.record(z.string(), versionSchema.extend({ image }), { error: "is required: a map of version name to { image, clusters: [...] }" }),
};
type ParsedArgs = { [K in keyof typeof argsShape]: z.output<typeof argsShape[K]> };

/** The args checked against every rule a stack's config is, all problems at once; defaults filled in. */
export function resolveReleaseArgs(name: string, args: GrayscaleReleaseArgs): ResolvedReleaseArgs {
    const raw = args as unknown as Record<string, unknown>;
    const problems: ConfigProblem[] = Object.keys(raw).filter((key) => !(key in argsShape))
        .map((key) => ({ path: key, message: `unknown arg; the args are ${Object.keys(argsShape).join(", ")}` }));
    const parsed = parseEachKey(argsShape, raw, problems, () => []) as Partial<ParsedArgs>;
    problems.push(...crossFieldProblems(parsed, { clusterTargets: false }));
    if (problems.length > 0) {
        throw new ConfigError(problems, `args of GrayscaleRelease '${name}'`);
    }
    const complete = parsed as ParsedArgs;
    const spec: ReleaseSpec = {
        ...normaliseSpec(complete),
        clusters: Object.entries(complete.clusters).map(([cluster, c]) => ({
            name: cluster, istioConfig: c.istioConfig, workloads: c.workloads, ...(c.weights === undefined ? {} : { weights: c.weights }),
        })),
    };
    const providers = Object.fromEntries(Object.entries(complete.clusters).map(([cluster, c]) => [cluster, c.provider]));
    return { spec, providers };
}

export type { AppConfig };
