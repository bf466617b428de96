// Once per `npm run test:traffic`: the Pulumi engine, Istio's binaries and Envoy (built or fetched
// once), two local clusters and their mesh's control planes: a real istiod per cluster, as the dev
// stack's multi-primary mesh has them (scripts/istiod start). Each test file starts its own data plane
// (support/traffic-stack.ts), so that a file's pods and stop are its own. Everything is stopped in
// teardown, also when a test failed; if the run itself is killed, the exit handler kills the
// processes by pid and sweeps any data plane's namespaces and bridge.
import type { TestProject } from "vitest/node";
import { ensureEngine } from "../../../dev/engine/ensure-engine.ts";
import { type LocalClusters, startLocalClusters, stopLocalClusters } from "../../../dev/clusters/local-clusters.ts";
import { killNow, type ProcessRecord } from "../../../dev/clusters/processes.ts";
import { stopDataPlane, sweepDataPlane } from "../../../dev/dataplane/dataplane-folder.ts";
import { liveOwner } from "../../../dev/dataplane/owner.ts";
import { envoyTools } from "../../../dev/dataplane/envoy-tools.ts";
import { startIstiodInFolder, stopIstiodInFolder } from "../../../dev/istiod/istiod-folder.ts";
import type { IstiodInfo } from "../../../dev/istiod/istiod.ts";
import { istioTools } from "../../../dev/istiod/istio-tools.ts";

declare module "vitest" {
    export interface ProvidedContext {
        engineBin: string;
        istioBin: string;
        localClusters: LocalClusters;
        /** mdemo-cluster1's istiod, which programs the gateway helloUrl() reaches. */
        istiod: IstiodInfo;
        /** Every cluster's istiod, mdemo-cluster1's first. */
        istiods: IstiodInfo[];
        /** The istiods' folder, as `scripts/istiod start` leaves it (for `scripts/dataplane start --istiod-dir`). */
        istiodDir: string;
        envoyDir: string;
    }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
    if (process.getuid?.() !== 0) {
        throw new Error("npm run test:traffic needs root: the data plane makes network namespaces and iptables rules");
    }
    const engineBin = ensureEngine();
    const istioBin = istioTools();
    const envoyDir = envoyTools();
    const clusters = await startLocalClusters({ count: 2, log: (line) => console.error(`clusters: ${line}`) });
    const processes: ProcessRecord[] = clusters.clusters.flatMap((c) => c.processes);
    const onExit = () => {
        killNow(processes);
        sweepDataPlane();
    };
    process.once("exit", onExit);
    let istiodDir: string | undefined;
    const teardown = async () => {
        process.off("exit", onExit);
        if (istiodDir !== undefined) {
            await stopIstiodInFolder(istiodDir);
        }
        // A file's data plane whose worker died before its afterAll: stopped by its controller's pid.
        const orphan = liveOwner();
        if (orphan !== undefined) {
            await stopDataPlane(orphan.dir);
        }
        await stopLocalClusters(clusters);
        sweepDataPlane();
    };
    try {
        const { dir, istiods } = await startIstiodInFolder(istioBin, clusters.clusters);
        istiodDir = dir;
        processes.push(...istiods.map((istiod) => istiod.process));
        const [first] = istiods;
        if (first === undefined) {
            throw new Error("scripts/istiod started no istiod");
        }
        project.provide("engineBin", engineBin);
        project.provide("istioBin", istioBin);
        project.provide("localClusters", clusters);
        project.provide("istiod", first);
        project.provide("istiods", istiods);
        project.provide("istiodDir", dir);
        project.provide("envoyDir", envoyDir);
    } catch (err) {
        await teardown();
        throw err;
    }
    return teardown;
}
