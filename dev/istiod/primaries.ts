// The mesh the dev stack describes (every cluster `istioConfig: true`): multi-primary on one network,
// as Istio's "Install Multi-Primary" task sets it up. One root CA and an intermediate per cluster
// (mesh-ca.ts), then one istiod per cluster, each with that cluster as its config cluster and cluster
// ID and every other cluster read through a remote secret. Each istiod programs only its own
// cluster's proxies, from its own cluster's Istio config: a VirtualService changed in one cluster
// moves that cluster's gateway alone.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { LocalClusterInfo } from "../clusters/local-cluster.ts";
import { stopProcesses } from "../clusters/processes.ts";
import { type IstiodInfo, startIstiod } from "./istiod.ts";
import { createClusterCa, createMeshRoot } from "./mesh-ca.ts";

export interface StartPrimariesArgs {
    /** Where pilot-discovery is (scripts/istio-tools). */
    binDir: string;
    /** The mesh's clusters. */
    clusters: LocalClusterInfo[];
    /**
     * The clusters that run an istiod of their own; any other is a remote cluster, read by them all.
     * Defaults to every cluster.
     */
    primaries?: string[];
    /** A folder for the CA (ca/) and each istiod's files (<cluster>/). */
    dir: string;
}

/** Starts one istiod per primary, in the order of `clusters`; on failure none is left running. */
export async function startPrimaries(args: StartPrimariesArgs): Promise<IstiodInfo[]> {
    const primaries = args.primaries ?? args.clusters.map((c) => c.name);
    const unknown = primaries.filter((name) => !args.clusters.some((c) => c.name === name));
    if (primaries.length === 0 || unknown.length > 0) {
        throw new Error(primaries.length === 0 ? "a mesh needs at least one primary" : `no cluster ${unknown.join(", ")} to run istiod for`);
    }
    const root = createMeshRoot(path.join(args.dir, "ca"));
    const starts = await Promise.allSettled(args.clusters.filter((c) => primaries.includes(c.name)).map((cluster) => {
        const dir = path.join(args.dir, cluster.name);
        mkdirSync(dir, { recursive: true });
        return startIstiod({ binDir: args.binDir, clusters: args.clusters, cluster: cluster.name, ca: createClusterCa(root, cluster.name), dir });
    }));
    const started = starts.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = starts.flatMap((s) => (s.status === "rejected" ? [s.reason as Error] : []));
    if (failed.length > 0) {
        await stopPrimaries(started);
        throw new Error(failed.map((err) => err.message).join("\n"));
    }
    return started;
}

export async function stopPrimaries(istiods: IstiodInfo[]): Promise<void> {
    await stopProcesses(istiods.map((istiod) => istiod.process));
}

/** The istiod that programs `cluster`'s proxies: its own, or, for a remote cluster, the first primary's. */
export function istiodOf(istiods: IstiodInfo[], cluster: string): IstiodInfo {
    const istiod = istiods.find((i) => i.clusterId === cluster) ?? istiods[0];
    if (istiod === undefined) {
        throw new Error("no istiod runs");
    }
    return istiod;
}
