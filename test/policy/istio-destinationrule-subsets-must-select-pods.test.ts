import { describe, expect, it } from "vitest";
import { istioDestinationRuleSubsetsMustSelectPods as rule } from "../../policy/istio-destinationrule-subsets-must-select-pods.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { C1, C2, devStack, find, HOST, ISTIO_API_VERSIONS, messages, set, type Stack } from "./fixtures.ts";

const dr = (stack: Stack, cluster: string) => find(stack, cluster, "DestinationRule", "helloworld");
const v1 = (stack: Stack) => find(stack, C2, "Deployment", "helloworld-v1");

describe.each(ISTIO_API_VERSIONS)("%s DestinationRule", (apiVersion) => {
    it("passes subsets whose pods run only in the other cluster (what istioctl analyze reports as an error)", () => {
        expect(messages(rule, devStack(apiVersion))).toEqual([]);
    });

    it("fails a subset whose labels no pods carry, once per cluster that holds the DestinationRule", () => {
        const stack = devStack(apiVersion);
        for (const cluster of [C1, C2]) {
            set(dr(stack, cluster), ["spec", "subsets", 1, "labels", "version"], "v3");
        }
        const expected = (cluster: string) =>
            `DestinationRule gray-demo/helloworld in cluster ${cluster} defines subset "v2" (version=v3), which a route sends ` +
            "traffic to, but no workload in any cluster runs pods labelled app=helloworld, version=v3 beside a Service " +
            "gray-demo/helloworld; every routed subset must select the pods of a workload in the stack, or traffic routed " +
            "to it fails with 503 (no healthy upstream).";
        expect(messages(rule, stack)).toEqual([expected(C1), expected(C2)]);
    });
});

describe("istio-destinationrule-subsets-must-select-pods", () => {
    it("fails when the only matching pods run in a cluster without the Service, and says so", () => {
        const stack = devStack();
        stack[C2] = (stack[C2] ?? []).filter((m) => m.kind !== "Service");
        const hint = "Deployment helloworld-v1 in cluster mdemo-cluster2 would match, but its cluster has no Service " +
            "gray-demo/helloworld, so Istio never discovers those pods.";
        expect(messages(rule, stack)).toEqual([C1, C2].map((cluster) => expect.stringMatching(new RegExp(
            `^DestinationRule gray-demo/helloworld in cluster ${cluster} defines subset "v1" \\(version=v1\\), which a route sends traffic to, but no workload .*${hint.replace(/[.]/g, "\\.")}$`,
        ))));
    });

    it("fails a subset whose pods the Service's selector does not select", () => {
        const stack = devStack();
        set(v1(stack), ["spec", "template", "metadata", "labels"], { name: "helloworld", version: "v1" });
        expect(messages(rule, stack)).toEqual([
            expect.stringContaining("in cluster mdemo-cluster1 defines subset \"v1\""),
            expect.stringContaining("in cluster mdemo-cluster2 defines subset \"v1\""),
        ]);
    });

    it("counts pods of any workload kind, e.g. a StatefulSet", () => {
        const stack = devStack();
        set(v1(stack), ["kind"], "StatefulSet");
        expect(messages(rule, stack)).toEqual([]);
    });

    it("does not judge a DestinationRule whose host is not a Service in the stack", () => {
        const stack = devStack();
        set(dr(stack, C1), ["spec", "host"], "api.example.com");
        set(dr(stack, C1), ["spec", "subsets", 0, "labels", "version"], "v9");
        expect(messages(rule, stack)).toEqual([]);
    });

    it("does not judge a Service without a selector (its endpoints are managed by hand)", () => {
        const stack = devStack();
        for (const cluster of [C1, C2]) {
            set(find(stack, cluster, "Service", "helloworld"), ["spec", "selector"], undefined);
            set(dr(stack, cluster), ["spec", "subsets", 0, "labels", "version"], "v9");
        }
        expect(messages(rule, stack)).toEqual([]);
    });

    it.each([
        ["a workload's pod labels", (s: Stack) => set(v1(s), ["spec", "template", "metadata", "labels"], UNKNOWN)],
        ["a workload's namespace", (s: Stack) => set(v1(s), ["metadata", "namespace"], UNKNOWN)],
        ["the Service's selector", (s: Stack) => set(find(s, C2, "Service", "helloworld"), ["spec", "selector"], UNKNOWN)],
        ["the subset's labels", (s: Stack) => {
            set(dr(s, C1), ["spec", "subsets", 0, "labels"], UNKNOWN);
            set(dr(s, C2), ["spec", "subsets", 0, "labels"], UNKNOWN);
        }],
    ])("does not report a subset while %s is unknown during preview", (_what, makeUnknown) => {
        const stack = devStack();
        // Without the unknown, subset v1 would select nothing: v1's pods lose the Service's app label.
        set(v1(stack), ["spec", "template", "metadata", "labels", "app"], "other");
        expect(messages(rule, stack)).toHaveLength(2);
        makeUnknown(stack);
        expect(messages(rule, stack)).toEqual([]);
    });
});

describe("istio-destinationrule-subsets-must-select-pods: routes beyond the split", () => {
    /** The dev stack with a subset v3 in both DestinationRules, which no pod carries and no route names yet. */
    function withPodlessSubset(): Stack {
        const stack = devStack();
        for (const cluster of [C1, C2]) {
            set(dr(stack, cluster), ["spec", "subsets", 2], { name: "v3", labels: { version: "v3" } });
        }
        return stack;
    }
    const split = (stack: Stack, cluster: string) => find(stack, cluster, "VirtualService", "gray-demo-vs");
    const podless = (cluster: string) => expect.stringContaining(`DestinationRule gray-demo/helloworld in cluster ${cluster} defines subset "v3" (version=v3), which a route sends traffic to`);

    it("leaves a subset no route names to the advisory policy", () => {
        expect(messages(rule, withPodlessSubset())).toEqual([]);
    });

    it("fails a podless subset that testers' requests are matched to, ahead of the split", () => {
        const stack = withPodlessSubset();
        for (const cluster of [C1, C2]) {
            const vs = split(stack, cluster);
            const routes = (vs.spec as { http: unknown[] }).http;
            set(vs, ["spec", "http"], [{ name: "testers", match: [{ headers: { "x-canary": { exact: "always" } } }], route: [{ destination: { host: HOST, subset: "v3" } }] }, ...routes]);
        }
        expect(messages(rule, stack)).toEqual([podless(C1), podless(C2)]);
    });

    it("fails a podless subset the split mirrors to: every copy would fail, unseen", () => {
        const stack = withPodlessSubset();
        for (const cluster of [C1, C2]) {
            set(split(stack, cluster), ["spec", "http", 0, "mirror"], { host: HOST, subset: "v3" });
            set(split(stack, cluster), ["spec", "http", 0, "mirrorPercentage"], { value: 10 });
        }
        expect(messages(rule, stack)).toEqual([podless(C1), podless(C2)]);
    });
});
