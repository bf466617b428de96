// Point 2 of issue #11: taking v1 offline in the README's two `up`s, against the live API servers.
// First its weight goes to 0 (only the VirtualServices change), then it is retired: its Deployment
// and its subset go, and nothing else is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeApi, type KubeObject, waitFor } from "../../dev/clusters/kube-api.ts";
import type { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { clusterApis, liveObjects, liveStackConfig, liveWorkspace, resourceVersions, routeWeights } from "./support/live-stack.ts";

const NAMESPACE = "gray-retire";

type Snapshot = Map<string, Map<string, KubeObject>>;

async function snapshot(apis: Map<string, KubeApi>): Promise<Snapshot> {
    const result: Snapshot = new Map();
    for (const [name, api] of apis) {
        result.set(name, await liveObjects(api, NAMESPACE));
    }
    return result;
}

/** Per cluster, "Kind/name" of the objects whose resourceVersion moved, that appeared or that went. */
function written(before: Snapshot, after: Snapshot): Record<string, { changed: string[]; created: string[]; deleted: string[] }> {
    return Object.fromEntries([...before].map(([name, objects]) => {
        const old = resourceVersions(objects);
        const now = resourceVersions(after.get(name) ?? new Map());
        return [name, {
            changed: [...now].filter(([key, rv]) => old.has(key) && old.get(key) !== rv).map(([key]) => key),
            created: [...now.keys()].filter((key) => !old.has(key)),
            deleted: [...old.keys()].filter((key) => !now.has(key)),
        }];
    }));
}

function subsets(rule: KubeObject | undefined): string[] {
    return ((rule?.spec as { subsets?: { name: string }[] } | undefined)?.subsets ?? []).map((s) => s.name);
}

describe("retiring v1 in two `pulumi up`s against live clusters", () => {
    let workspace: PulumiWorkspace;
    let apis: Map<string, KubeApi>;
    let deployed: Snapshot;
    let drained: Snapshot;
    let retired: Snapshot;

    beforeAll(async () => {
        apis = clusterApis();
        workspace = liveWorkspace(liveStackConfig(NAMESPACE));
        workspace.mustRun(["up", "--yes"]);
        deployed = await snapshot(apis);
        workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=0", "--plaintext", "weights.v2=100"]);
        workspace.mustRun(["up", "--yes"]);
        drained = await snapshot(apis);
        workspace.mustRun(["config", "set", "--path", "versions.v1.retired", "true"]);
        workspace.mustRun(["up", "--yes"]);
        retired = await snapshot(apis);
    });
    afterAll(() => {
        workspace?.remove();
        apis?.forEach((api) => api.close());
    });

    it("first `up`: only the VirtualServices change, routing everything to v2; v1 keeps its pods and subset", () => {
        expect(written(deployed, drained)).toEqual({
            "mdemo-cluster1": { changed: ["VirtualService/gray-demo-vs", "VirtualService/gray-demo-vs-mesh"], created: [], deleted: [] },
            "mdemo-cluster2": { changed: ["VirtualService/gray-demo-vs", "VirtualService/gray-demo-vs-mesh"], created: [], deleted: [] },
        });
        for (const [name, objects] of drained) {
            expect(routeWeights(objects.get("VirtualService/gray-demo-vs")), name).toEqual([["v2", 100]]);
            expect(routeWeights(objects.get("VirtualService/gray-demo-vs-mesh")), name).toEqual([["v2", 100]]);
            expect(subsets(objects.get("DestinationRule/helloworld")), name).toEqual(["v1", "v2"]);
        }
        expect(drained.get("mdemo-cluster2")?.has("Deployment/helloworld-v1")).toBe(true);
    });

    it("second `up`: v1's Deployment goes from mdemo-cluster2 and its subset from every DestinationRule, nothing else", () => {
        expect(written(drained, retired)).toEqual({
            "mdemo-cluster1": { changed: ["DestinationRule/helloworld"], created: [], deleted: [] },
            "mdemo-cluster2": { changed: ["DestinationRule/helloworld"], created: [], deleted: ["Deployment/helloworld-v1"] },
        });
        for (const [name, objects] of retired) {
            expect(subsets(objects.get("DestinationRule/helloworld")), name).toEqual(["v2"]);
        }
    });

    it("leaves no v1 pod behind (the garbage collector and kwok remove them after the Deployment)", async () => {
        const api = apis.get("mdemo-cluster2") as KubeApi;
        const gone = await waitFor("v1's pods to go", 60_000, async () => {
            const pods = await api.list(`/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=version%3Dv1`);
            return pods.length === 0 ? true : undefined;
        });
        expect(gone).toBe(true);
    });
});
