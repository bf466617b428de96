// Once per `npm run test:clusters`: the Pulumi engine (scripts/pulumi-engine), and two local clusters
// (scripts/cluster-binaries, dev/clusters) handed to the test files, stopped by pid in teardown, also
// when a test failed. A process that dies without teardown (SIGKILL) leaves them running: their pids
// are in <dir>/clusters.json for `scripts/clusters stop --dir <dir>`.
import type { TestProject } from "vitest/node";
import { ensureEngine } from "../../../dev/engine/ensure-engine.ts";
import { type LocalClusters, readClustersFile, startLocalClusters, stopLocalClusters } from "../../../dev/clusters/local-clusters.ts";
import { killNow } from "../../../dev/clusters/processes.ts";

declare module "vitest" {
    export interface ProvidedContext {
        /** The directory holding `pulumi` and the plugins, to put first on PATH. */
        engineBin: string;
        /** mdemo-cluster1 and mdemo-cluster2, as clusters.json describes them. */
        localClusters: LocalClusters;
    }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
    project.provide("engineBin", ensureEngine());
    const clusters = await startLocalClusters({ count: 2, log: (line) => console.error(`clusters: ${line}`) });
    // A test that restarts an API server records its new pid in clusters.json (the provided copy is
    // the test file's own): stop what the file says.
    const current = () => readClustersFile(clusters.dir);
    // Teardown does not run when the process is interrupted: kill the clusters on the way out then.
    const onExit = () => killNow(current().clusters.flatMap((c) => c.processes));
    process.once("exit", onExit);
    project.provide("localClusters", clusters);
    return async () => {
        process.off("exit", onExit);
        await stopLocalClusters(current());
    };
}
