import { describe, expect, it } from "vitest";
import { istioVirtualServiceRoutesMustMatchAcrossClusters as rule } from "../../policy/istio-virtualservice-routes-must-match-across-clusters.ts";
import { CLUSTER_WEIGHTS_ANNOTATION } from "../../mesh/annotations.ts";
import { C2, devStack, find, messages, set } from "./fixtures.ts";

const MESSAGE = "VirtualService gray-demo/gray-demo-vs in cluster mdemo-cluster2 routes differently from the same VirtualService in " +
    "mdemo-cluster1; every primary's copy must route the same way (set the release's weights), unless the difference is a wave " +
    `(clusters.<name>.weights, which marks the VirtualService ${CLUSTER_WEIGHTS_ANNOTATION}: "true").`;

describe("istio-virtualservice-routes-must-match-across-clusters", () => {
    it("passes the same routes in both primaries", () => {
        expect(messages(rule, devStack())).toEqual([]);
    });

    it("fails weights that differ in one primary by accident (a hand edit, a stale stack)", () => {
        const stack = devStack();
        set(find(stack, C2, "VirtualService", "gray-demo-vs"), ["spec", "http", 0, "route", 0, "weight"], 50);
        set(find(stack, C2, "VirtualService", "gray-demo-vs"), ["spec", "http", 0, "route", 1, "weight"], 50);
        expect(messages(rule, stack)).toEqual([MESSAGE]);
    });

    it("passes the difference a wave declares", () => {
        const stack = devStack();
        const vs = find(stack, C2, "VirtualService", "gray-demo-vs");
        set(vs, ["spec", "http", 0, "route", 0, "weight"], 50);
        set(vs, ["spec", "http", 0, "route", 1, "weight"], 50);
        set(vs, ["metadata", "annotations"], { [CLUSTER_WEIGHTS_ANNOTATION]: "true" });
        expect(messages(rule, stack)).toEqual([]);
    });

    it("ignores key order", () => {
        const stack = devStack();
        const vs = find(stack, C2, "VirtualService", "gray-demo-vs");
        const spec = vs.spec as Record<string, unknown>;
        vs.spec = Object.fromEntries(Object.entries(spec).reverse());
        expect(messages(rule, stack)).toEqual([]);
    });
});
