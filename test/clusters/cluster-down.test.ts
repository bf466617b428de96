// Point 2 of issue #11: a weight change while one cluster's API server is down. The preview and the
// update stop before anything changes, naming the cluster by its config name; the other cluster's
// objects are as they were; once the cluster is back, the same `up` applies everywhere.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { KubeApi, KubeObject } from "../../dev/clusters/kube-api.ts";
import { restartApiServer, stopApiServer } from "../../dev/clusters/local-cluster.ts";
import { writeClustersFile } from "../../dev/clusters/local-clusters.ts";
import type { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { cluster, clusterApis, liveObjects, liveStackConfig, liveWorkspace, resourceVersions, routeWeights } from "./support/live-stack.ts";

const NAMESPACE = "gray-down";
const DOWN = "mdemo-cluster2";

describe("a weight change while mdemo-cluster2's API server is down", () => {
    let workspace: PulumiWorkspace;
    let apis: Map<string, KubeApi>;
    let upBefore: Map<string, KubeObject>;
    const down = cluster(DOWN);
    let stopped = false;

    const restart = async () => {
        if (stopped) {
            await restartApiServer(down);
            stopped = false;
            // The global teardown stops what clusters.json says: the API server's pid has changed.
            const all = inject("localClusters");
            writeClustersFile({ ...all, clusters: all.clusters.map((c) => c.name === DOWN ? down : c) });
        }
    };

    beforeAll(async () => {
        apis = clusterApis();
        workspace = liveWorkspace(liveStackConfig(NAMESPACE));
        workspace.mustRun(["up", "--yes"]);
        upBefore = await liveObjects(apis.get("mdemo-cluster1") as KubeApi, NAMESPACE);
        workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=50", "--plaintext", "weights.v2=50"]);
        await stopApiServer(down);
        stopped = true;
    });
    afterAll(async () => {
        // Later files share the clusters: bring it back whatever happened here.
        await restart();
        workspace?.remove();
        apis?.forEach((api) => api.close());
    });

    it("`pulumi preview` fails, naming the cluster, its context and its server", () => {
        const preview = workspace.run(["preview"]);
        expect(preview.status).not.toBe(0);
        expect(preview.stdout + preview.stderr).toContain(`cluster "${DOWN}" (context ${DOWN}, ${down.server}): connect ECONNREFUSED`);
    });

    it("`pulumi up` fails the same way, and leaves mdemo-cluster1's objects as they were", async () => {
        const up = workspace.run(["up", "--yes"]);
        expect(up.status).not.toBe(0);
        expect(up.stdout + up.stderr).toContain(`cluster "${DOWN}" (context ${DOWN}, ${down.server})`);
        expect(up.stdout + up.stderr).toContain("nothing was changed in any cluster");
        const after = await liveObjects(apis.get("mdemo-cluster1") as KubeApi, NAMESPACE);
        expect(resourceVersions(after)).toEqual(resourceVersions(upBefore));
        expect(routeWeights(after.get("VirtualService/gray-demo-vs"))).toEqual([["v1", 80], ["v2", 20]]);
    });

    it("once the cluster is back, the same `pulumi up` moves both clusters to 50/50", async () => {
        await restart();
        workspace.mustRun(["up", "--yes"]);
        for (const [name, api] of apis) {
            expect(routeWeights((await liveObjects(api, NAMESPACE)).get("VirtualService/gray-demo-vs")), name).toEqual([["v1", 50], ["v2", 50]]);
        }
    });
});
