// Once per `npm run test:istiod`: the Pulumi engine, Istio's binaries (both built from Go modules
// once), and two local clusters (dev/clusters) with a kubeconfig that names both contexts. The
// clusters are stopped by pid in teardown, also when a test failed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { parse, stringify } from "yaml";
import { ensureEngine } from "../../../dev/engine/ensure-engine.ts";
import { type LocalClusters, startLocalClusters, stopLocalClusters } from "../../../dev/clusters/local-clusters.ts";
import { killNow } from "../../../dev/clusters/processes.ts";
import { istioTools } from "../../../dev/istiod/istio-tools.ts";

declare module "vitest" {
    export interface ProvidedContext {
        engineBin: string;
        istioBin: string;
        localClusters: LocalClusters;
        /** One kubeconfig file with every cluster's context (the Kubernetes provider reads one file). */
        mergedKubeconfig: string;
    }
}

interface Kubeconfig {
    clusters: unknown[];
    users: unknown[];
    contexts: unknown[];
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
    project.provide("engineBin", ensureEngine());
    project.provide("istioBin", istioTools());
    const clusters = await startLocalClusters({ count: 2, log: (line) => console.error(`clusters: ${line}`) });
    const onExit = () => killNow(clusters.clusters.flatMap((c) => c.processes));
    process.once("exit", onExit);
    const dir = mkdtempSync(path.join(tmpdir(), "hwg-kubeconfig-"));
    const configs = clusters.clusters.map((c) => parse(readFileSync(c.kubeconfig, "utf8")) as Kubeconfig);
    const merged = path.join(dir, "kubeconfig");
    writeFileSync(merged, stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: configs.flatMap((c) => c.clusters),
        users: configs.flatMap((c) => c.users),
        contexts: configs.flatMap((c) => c.contexts),
    }), { mode: 0o600 });
    project.provide("localClusters", clusters);
    project.provide("mergedKubeconfig", merged);
    return async () => {
        process.off("exit", onExit);
        await stopLocalClusters(clusters);
        rmSync(dir, { recursive: true, force: true });
    };
}
