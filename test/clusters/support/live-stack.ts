// The cluster tests' view of dev/stacks/live-stack.ts: the engine and the two clusters come from
// the global setup (inject), each test file works in a namespace of its own.
import { inject } from "vitest";
import { liveWorkspace as harnessWorkspace } from "../../../dev/stacks/live-stack.ts";
import type { PulumiWorkspace } from "../../../dev/engine/workspace.ts";
import { KubeApi } from "../../../dev/clusters/kube-api.ts";
import type { LocalClusterInfo } from "../../../dev/clusters/local-cluster.ts";

export { liveObjects, liveStackConfig, plannedPlacement, resourceVersions, type Route, routeWeights } from "../../../dev/stacks/live-stack.ts";

export function liveWorkspace(config: Record<string, unknown>): PulumiWorkspace {
    return harnessWorkspace(inject("engineBin"), inject("localClusters"), config);
}

export function cluster(name: string): LocalClusterInfo {
    const found = inject("localClusters").clusters.find((c) => c.name === name);
    if (found === undefined) {
        throw new Error(`no local cluster ${name}`);
    }
    return found;
}

/** One API client per cluster of the run, by cluster name; close() them in afterAll. */
export function clusterApis(): Map<string, KubeApi> {
    return new Map(inject("localClusters").clusters.map((c) => [c.name, new KubeApi(c)]));
}
