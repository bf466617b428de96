import { describe, expect, it } from "vitest";
import { istioVirtualServiceWeightsMustSumTo100 as rule } from "../../policy/istio-virtualservice-weights-must-sum-to-100.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { C1, devStack, find, HOST, ISTIO_API_VERSIONS, messages, set, type Stack } from "./fixtures.ts";

const vs = (stack: Stack) => find(stack, C1, "VirtualService", "gray-demo-vs");
const route = (i: number) => ["spec", "http", 0, "route", i] as const;

describe.each(ISTIO_API_VERSIONS)("%s VirtualService", (apiVersion) => {
    it("passes an 80/20 split", () => {
        expect(messages(rule, devStack(apiVersion))).toEqual([]);
    });

    it("fails weights that add up to 110", () => {
        const stack = devStack(apiVersion);
        set(vs(stack), [...route(1), "weight"], 30);
        expect(messages(rule, stack)).toEqual([
            "VirtualService gray-demo/gray-demo-vs in cluster mdemo-cluster1 route http[0] (\"http-5000\") has weights " +
            "80 + 30 = 110; they must add up to 100 so that the split a reviewer reads is the split Istio applies " +
            "(Istio would silently treat them as relative proportions).",
        ]);
    });
});

describe("istio-virtualservice-weights-must-sum-to-100", () => {
    it.each([
        ["a fraction", 20.5, "weight 20.5, which is not a whole number"],
        ["a string", "20", "weight \"20\", which is not a whole number"],
        ["a negative number", -20, "weight -20, which is not a whole number"],
        ["no weight", undefined, "destination 1 has no weight"],
    ])("fails a destination with %s in a split", (_what, weight, expected) => {
        const stack = devStack();
        set(vs(stack), [...route(1), "weight"], weight);
        expect(messages(rule, stack)).toEqual([expect.stringContaining(expected)]);
    });

    it("passes a single destination without a weight, and fails one with weight 50", () => {
        const stack = devStack();
        set(vs(stack), ["spec", "http", 0, "route"], [{ destination: { host: HOST, subset: "v1" } }]);
        expect(messages(rule, stack)).toEqual([]);
        set(vs(stack), [...route(0), "weight"], 50);
        expect(messages(rule, stack)).toEqual([expect.stringContaining("has a single destination with weight 50; a single destination must have weight 100 or none")]);
    });

    it.each(["tcp", "tls"] as const)("judges %s routes too", (section) => {
        const stack = devStack();
        const match = section === "tls" ? { match: [{ port: 443, sniHosts: ["helloworld.example.com"] }] } : {};
        set(vs(stack), ["spec", section], [{ ...match, route: [
            { destination: { host: HOST, subset: "v1" }, weight: 50 },
            { destination: { host: HOST, subset: "v2" }, weight: 40 },
        ] }]);
        expect(messages(rule, stack)).toEqual([
            `VirtualService gray-demo/gray-demo-vs in cluster mdemo-cluster1 route ${section}[0] has weights 50 + 40 = 90; ` +
            "they must add up to 100 so that the split a reviewer reads is the split Istio applies " +
            "(Istio would silently treat them as relative proportions).",
        ]);
    });

    it("ignores routes without destinations (redirects, direct responses)", () => {
        const stack = devStack();
        set(vs(stack), ["spec", "http"], [{ redirect: { uri: "/v2" } }, { directResponse: { status: 503 } }]);
        expect(messages(rule, stack)).toEqual([]);
    });

    it.each([
        ["a weight", [...route(1), "weight"]],
        ["the route list", ["spec", "http", 0, "route"]],
        ["the http section", ["spec", "http"]],
    ] as const)("does not judge %s while it is unknown during preview", (_what, path) => {
        const stack = devStack();
        set(vs(stack), [...route(1), "weight"], 30);
        set(vs(stack), [...path], UNKNOWN);
        expect(messages(rule, stack)).toEqual([]);
    });
});
