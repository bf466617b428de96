// Before anything is registered: can every cluster's API server be reached? The Kubernetes provider
// finds out per object, during `up`, after other clusters' objects may already have changed, and
// names the cluster only through a resource name; a split half applied is the worst outcome of a
// grayscale release (each cluster's ingress then serves a different split). So the program checks
// first and stops the preview or update with the clusters' config names. See README, "When a cluster
// is down".
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { homedir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import type { ClusterConfig } from "../config/index.ts";

/** Where a cluster's API server is, as its kubeconfig says. */
export interface ApiServerAddress {
    server: string;
    /** Set when the kubeconfig sends this cluster's traffic through a proxy. */
    proxyUrl?: string;
}

interface Kubeconfig {
    "current-context"?: string;
    contexts?: { name: string; context?: { cluster?: string } }[];
    clusters?: { name: string; cluster?: { server?: string; "proxy-url"?: string } }[];
}

/** The kubeconfig files a context is looked up in, as kubectl and the provider do: $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigFiles(env: NodeJS.ProcessEnv = process.env): string[] {
    const list = env.KUBECONFIG;
    return list !== undefined && list !== ""
        ? list.split(path.delimiter).filter((file) => file !== "")
        : [path.join(homedir(), ".kube", "config")];
}

function parseKubeconfig(text: string): Kubeconfig {
    return (parse(text) ?? {}) as Kubeconfig;
}

/** The server of `context` (default: the current context) in kubeconfigs merged in order (the first entry of a name wins). */
export function apiServerOf(kubeconfigs: Kubeconfig[], context?: string): ApiServerAddress | undefined {
    const contextName = context ?? kubeconfigs.find((k) => k["current-context"])?.["current-context"];
    const clusterName = kubeconfigs.flatMap((k) => k.contexts ?? []).find((c) => c.name === contextName)?.context?.cluster;
    const cluster = kubeconfigs.flatMap((k) => k.clusters ?? []).find((c) => c.name === clusterName)?.cluster;
    if (cluster?.server === undefined) {
        return undefined;
    }
    return { server: cluster.server, ...(cluster["proxy-url"] ? { proxyUrl: cluster["proxy-url"] } : {}) };
}

/** Where a configured cluster's API server is; undefined when the kubeconfig cannot tell (the provider then reports it). */
export function resolveApiServer(cluster: ClusterConfig, env: NodeJS.ProcessEnv = process.env): ApiServerAddress | undefined {
    if (cluster.kubeconfig !== undefined) {
        return apiServerOf([parseKubeconfig(cluster.kubeconfig)]);
    }
    if (cluster.context === undefined) {
        return undefined;
    }
    const kubeconfigs = kubeconfigFiles(env).flatMap((file) => {
        try {
            return [parseKubeconfig(readFileSync(file, "utf8"))];
        } catch {
            return [];
        }
    });
    return apiServerOf(kubeconfigs, cluster.context);
}

/** Resolves when a TCP connection to the server's host and port opens; rejects with the reason otherwise. */
export function probeApiServer(server: string, timeoutMs: number): Promise<void> {
    const url = new URL(server);
    const port = Number(url.port || (url.protocol === "http:" ? 80 : 443));
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    return new Promise((resolve, reject) => {
        const socket = connect({ host, port, timeout: timeoutMs });
        socket.once("connect", () => {
            socket.destroy();
            resolve();
        });
        socket.once("timeout", () => {
            socket.destroy();
            reject(new Error(`no answer from ${host}:${port} in ${timeoutMs / 1000} s`));
        });
        socket.once("error", (err) => reject(err));
    });
}

export interface UnreachableCluster {
    name: string;
    /** How the stack reaches it: `context <name>` or `kubeconfig secret`. */
    via: string;
    server: string;
    reason: string;
}

function proxied(address: ApiServerAddress, env: NodeJS.ProcessEnv): boolean {
    return address.proxyUrl !== undefined || [env.HTTPS_PROXY, env.https_proxy].some((v) => v !== undefined && v !== "");
}

/**
 * The clusters whose API server does not accept a connection. Clusters in render mode, clusters whose
 * kubeconfig names no server, and clusters reached through a proxy (a direct connection would say
 * nothing about them) are not probed: the provider reports on those itself.
 */
export async function unreachableClusters(
    clusters: readonly ClusterConfig[],
    options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<UnreachableCluster[]> {
    const env = options.env ?? process.env;
    const probes = clusters.map(async (cluster): Promise<UnreachableCluster | undefined> => {
        const address = resolveApiServer(cluster, env);
        if (address === undefined || proxied(address, env)) {
            return undefined;
        }
        try {
            await probeApiServer(address.server, options.timeoutMs ?? 5_000);
            return undefined;
        } catch (err) {
            const via = cluster.context !== undefined ? `context ${cluster.context}` : "kubeconfig secret";
            return { name: cluster.name, via, server: address.server, reason: (err as Error).message };
        }
    });
    return (await Promise.all(probes)).filter((u): u is UnreachableCluster => u !== undefined);
}

/**
 * The error the program stops with: every unreachable cluster by its config name, and what to do. The
 * first line names them, as it is all a one-line report of the failure (the rollout's) shows.
 */
export function unreachableMessage(unreachable: readonly UnreachableCluster[]): string {
    const names = unreachable.map((u) => `"${u.name}"`);
    const listed = names.length === 1 ? `Cluster ${names[0] ?? ""} is` : `Clusters ${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""} are`;
    const lines = unreachable.map((u) => `  - cluster "${u.name}" (${u.via}, ${u.server}): ${u.reason}`);
    return [
        `${listed} unreachable; nothing was changed in any cluster.`,
        ...lines,
        `Bring ${unreachable.length === 1 ? "it" : "them"} back and run again. A release applied to some clusters only would serve a different split in each;`,
        "see docs/operating.md#when-a-cluster-is-down.",
    ].join("\n");
}
