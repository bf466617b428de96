// Point 2 of issue #11: moving the split on live clusters. The preview a reviewer reads names the
// VirtualServices and nothing else; after `up` the API servers serve the new weights, and no other
// object was written (its resourceVersion is what it was).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeApi, KubeObject } from "../../dev/clusters/kube-api.ts";
import { previewChanges } from "../../dev/engine/preview-changes.ts";
import type { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { clusterApis, liveObjects, liveStackConfig, liveWorkspace, resourceVersions, routeWeights } from "./support/live-stack.ts";

const NAMESPACE = "gray-weights";

describe("a weight change against live clusters", () => {
    let workspace: PulumiWorkspace;
    let apis: Map<string, KubeApi>;
    const before = new Map<string, Map<string, KubeObject>>();

    beforeAll(async () => {
        apis = clusterApis();
        workspace = liveWorkspace(liveStackConfig(NAMESPACE));
        workspace.mustRun(["up", "--yes"]);
        for (const [name, api] of apis) {
            before.set(name, await liveObjects(api, NAMESPACE));
        }
        workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=50", "--plaintext", "weights.v2=50"]);
    });
    afterAll(() => {
        workspace?.remove();
        apis?.forEach((api) => api.close());
    });

    it("previews an update of each cluster's VirtualServices (the gateway's and the mesh's) and nothing else", () => {
        const changes = previewChanges(workspace.mustRun(["preview", "--json"]).stdout);
        expect(changes.map((step) => [step.op, step.name])).toEqual([
            ["update", "helloworld-mdemo-cluster1-gray-demo-vs"],
            ["update", "helloworld-mdemo-cluster1-gray-demo-vs-mesh"],
            ["update", "helloworld-mdemo-cluster2-gray-demo-vs"],
            ["update", "helloworld-mdemo-cluster2-gray-demo-vs-mesh"],
        ]);
    });

    it("serves the new weights from both API servers after `up`, and writes no other object", async () => {
        workspace.mustRun(["up", "--yes"]);
        const routes = ["VirtualService/gray-demo-vs", "VirtualService/gray-demo-vs-mesh"];
        for (const [name, api] of apis) {
            const after = await liveObjects(api, NAMESPACE);
            const unchanged = (versions: Map<string, string | undefined>) => new Map([...versions].filter(([key]) => !routes.includes(key)));
            expect(unchanged(resourceVersions(after)), name).toEqual(unchanged(resourceVersions(before.get(name) ?? new Map())));
            for (const route of routes) {
                expect(routeWeights(after.get(route)), `${name} ${route}`).toEqual([["v1", 50], ["v2", 50]]);
                expect(after.get(route)?.metadata.resourceVersion, `${name} ${route}`).not.toBe(before.get(name)?.get(route)?.metadata.resourceVersion);
            }
        }
    });
});
