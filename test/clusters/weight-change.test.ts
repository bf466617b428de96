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

    it("previews an update of each cluster's VirtualService and nothing else", () => {
        const changes = previewChanges(workspace.mustRun(["preview", "--json"]).stdout);
        expect(changes.map((step) => [step.op, step.name])).toEqual([
            ["update", "helloworld-mdemo-cluster1-gray-demo-vs"],
            ["update", "helloworld-mdemo-cluster2-gray-demo-vs"],
        ]);
    });

    it("serves the new weights from both API servers after `up`, and writes no other object", async () => {
        workspace.mustRun(["up", "--yes"]);
        for (const [name, api] of apis) {
            const after = await liveObjects(api, NAMESPACE);
            expect(routeWeights(after.get("VirtualService/gray-demo-vs")), name).toEqual([["v1", 50], ["v2", 50]]);
            const unchanged = (versions: Map<string, string | undefined>) => new Map([...versions].filter(([key]) => key !== "VirtualService/gray-demo-vs"));
            expect(unchanged(resourceVersions(after)), name).toEqual(unchanged(resourceVersions(before.get(name) ?? new Map())));
            expect(after.get("VirtualService/gray-demo-vs")?.metadata.resourceVersion, name)
                .not.toBe(before.get(name)?.get("VirtualService/gray-demo-vs")?.metadata.resourceVersion);
        }
    });
});
