// Point 2 of issue #11: moving `istioApiVersion` from v1beta1 to v1 on a live cluster. Both versions
// name the same stored objects, so however Pulumi sees the change (a new type token per version),
// every Istio object must still exist afterwards, with the stack's content.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeApi, KubeObject } from "../../dev/clusters/kube-api.ts";
import { previewChanges } from "../../dev/engine/preview-changes.ts";
import type { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { clusterApis, liveObjects, liveStackConfig, liveWorkspace, plannedPlacement, routeWeights } from "./support/live-stack.ts";

const NAMESPACE = "gray-apiversion";
const ISTIO_KINDS = ["DestinationRule", "Gateway", "VirtualService", "PeerAuthentication"];

function istioObjects(objects: Map<string, KubeObject>): string[] {
    return [...objects.keys()].filter((key) => ISTIO_KINDS.includes(key.split("/")[0] ?? "")).sort();
}

describe("`istioApiVersion` v1beta1 -> v1 against live clusters", () => {
    let workspace: PulumiWorkspace;
    let apis: Map<string, KubeApi>;
    const before = new Map<string, Map<string, KubeObject>>();

    beforeAll(async () => {
        apis = clusterApis();
        workspace = liveWorkspace(liveStackConfig(NAMESPACE, { istioApiVersion: "networking.istio.io/v1beta1" }));
        workspace.mustRun(["up", "--yes"]);
        for (const [name, api] of apis) {
            before.set(name, await liveObjects(api, NAMESPACE));
        }
        workspace.mustRun(["config", "set", "istioApiVersion", "networking.istio.io/v1"]);
        workspace.mustRun(["up", "--yes"]);
    });
    afterAll(() => {
        workspace?.remove();
        apis?.forEach((api) => api.close());
    });

    it("had every Istio object in v1beta1 before", () => {
        const planned = plannedPlacement(liveStackConfig(NAMESPACE));
        for (const [name, objects] of before) {
            expect(istioObjects(objects), name).toEqual((planned.get(name) ?? []).filter((key) => ISTIO_KINDS.includes(key.split("/")[0] ?? "")));
        }
    });

    it("still has every Istio object afterwards, with the stack's routes", async () => {
        for (const [name, api] of apis) {
            const after = await liveObjects(api, NAMESPACE);
            expect(istioObjects(after), name).toEqual(istioObjects(before.get(name) ?? new Map()));
            expect(routeWeights(after.get("VirtualService/gray-demo-vs")), name).toEqual([["v1", 80], ["v2", 20]]);
        }
    });

    it("records the Istio objects under their v1 type tokens in the state", () => {
        const types = workspace.resources().map((r) => r.type).filter((t) => t.includes("istio.io"));
        expect(types.length).toBeGreaterThan(0);
        expect(types.filter((t) => t.includes("v1beta1"))).toEqual([]);
    });

    it("a second `up` changes nothing", () => {
        expect(previewChanges(workspace.mustRun(["preview", "--json"]).stdout)).toEqual([]);
    });
});
