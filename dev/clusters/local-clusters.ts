// N local clusters side by side (mdemo-cluster1, mdemo-cluster2, ...), started together and described
// in <dir>/clusters.json so that another process (`scripts/clusters stop`, a test's teardown) can stop
// them by pid and remove their folder.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureClusterBinaries } from "./binaries.ts";
import { freePorts } from "./free-port.ts";
import { istioCrds } from "./istio-crds.ts";
import { writeKubeconfig } from "./kubeconfig.ts";
import { type LocalClusterInfo, PORTS_PER_CLUSTER, startLocalCluster, stopLocalCluster } from "./local-cluster.ts";

/** The contents of clusters.json. */
export interface LocalClusters {
    /** The folder holding everything; removed by stopLocalClusters(). */
    dir: string;
    /** The binaries' folder (scripts/cluster-binaries): kubectl is there too. */
    binDir: string;
    /** A kubeconfig with every cluster's context (each cluster also has its own, see LocalClusterInfo). */
    kubeconfig: string;
    clusters: LocalClusterInfo[];
}

export const CLUSTERS_FILE = "clusters.json";
/** Each cluster holds ~700 MiB: more than this is a mistake, not a test. */
export const MAX_CLUSTERS = 8;

export interface StartOptions {
    count: number;
    /** An empty or missing folder to use; default: a new one under the system's temp folder. */
    dir?: string;
    /** Progress lines (default: none). */
    log?: (line: string) => void;
}

export async function startLocalClusters(options: StartOptions): Promise<LocalClusters> {
    const { count } = options;
    if (!Number.isInteger(count) || count < 1 || count > MAX_CLUSTERS) {
        throw new Error(`--count ${count}: must be a whole number from 1 to ${MAX_CLUSTERS}`);
    }
    const log = options.log ?? (() => undefined);
    const binDir = ensureClusterBinaries();
    const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), "hwg-clusters-"));
    if (existsSync(path.join(dir, CLUSTERS_FILE))) {
        throw new Error(`${dir} already holds clusters (${CLUSTERS_FILE}); stop them first`);
    }
    mkdirSync(dir, { recursive: true });
    const crds = istioCrds();
    const ports = await freePorts(count * PORTS_PER_CLUSTER);
    const started = Date.now();
    log(`starting ${count} cluster(s) in ${dir}`);
    const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => startLocalCluster({
        index: i + 1,
        root: dir,
        binDir,
        crds,
        ports: ports.slice(i * PORTS_PER_CLUSTER, (i + 1) * PORTS_PER_CLUSTER),
    })));
    const clusters = results.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
    const failures = results.flatMap((r) => r.status === "rejected" ? [r.reason as Error] : []);
    if (failures.length > 0) {
        // A failed cluster has stopped its own processes; the others go too, and the folder.
        await Promise.all(clusters.map(stopLocalCluster));
        if (options.dir === undefined) {
            rmSync(dir, { recursive: true, force: true });
        }
        throw new Error(failures.map((e) => e.message).join("\n"));
    }
    const kubeconfig = path.join(dir, "kubeconfig");
    writeKubeconfig(kubeconfig, ...clusters.map((c) => ({ name: c.name, server: c.server, caCert: c.caCert, clientCert: c.clientCert, clientKey: c.clientKey })));
    const result: LocalClusters = { dir, binDir, kubeconfig, clusters };
    writeClustersFile(result);
    log(`${count} cluster(s) ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
}

export function writeClustersFile(clusters: LocalClusters): void {
    writeFileSync(path.join(clusters.dir, CLUSTERS_FILE), `${JSON.stringify(clusters, null, 2)}\n`);
}

export function readClustersFile(dir: string): LocalClusters {
    return JSON.parse(readFileSync(path.join(dir, CLUSTERS_FILE), "utf8")) as LocalClusters;
}

/** Stops every process by its pid, then removes the folder (certificates, etcd's data, logs). */
export async function stopLocalClusters(clusters: LocalClusters): Promise<void> {
    await Promise.all(clusters.clusters.map(stopLocalCluster));
    rmSync(clusters.dir, { recursive: true, force: true });
}
