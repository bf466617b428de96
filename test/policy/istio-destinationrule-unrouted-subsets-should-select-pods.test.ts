import { describe, expect, it } from "vitest";
import { istioDestinationRuleSubsetsMustSelectPods as routedRule } from "../../policy/istio-destinationrule-subsets-must-select-pods.ts";
import { istioDestinationRuleUnroutedSubsetsShouldSelectPods as rule } from "../../policy/istio-destinationrule-unrouted-subsets-should-select-pods.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { C1, C2, devStack, find, HOST, messages, set, type Stack } from "./fixtures.ts";

const dr = (stack: Stack, cluster: string) => find(stack, cluster, "DestinationRule", "helloworld");
const vs = (stack: Stack, cluster: string) => find(stack, cluster, "VirtualService", "gray-demo-vs");

/** The dev release plus a subset "v3" in both clusters' DestinationRule, with no pods and no route. */
function withSpareSubset(): Stack {
    const stack = devStack();
    for (const cluster of [C1, C2]) {
        set(dr(stack, cluster), ["spec", "subsets", 2], { name: "v3", labels: { version: "v3" }, trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } } });
    }
    return stack;
}

describe("istio-destinationrule-unrouted-subsets-should-select-pods", () => {
    it("passes the dev release, whose subsets all select pods", () => {
        expect(messages(rule, devStack())).toEqual([]);
    });

    it("reports a subset without pods that no route uses, saying it is no 503 risk; the mandatory policy does not", () => {
        const stack = withSpareSubset();
        const expected = (cluster: string) =>
            `DestinationRule gray-demo/helloworld in cluster ${cluster} defines subset "v3" (version=v3), but no workload in ` +
            "any cluster runs pods labelled app=helloworld, version=v3 beside a Service gray-demo/helloworld. No route sends " +
            "traffic to it, so nothing fails today (no 503 risk); deploy its pods before a route uses it, or remove the subset.";
        expect(messages(rule, stack)).toEqual([expected(C1), expected(C2)]);
        expect(messages(routedRule, stack)).toEqual([]);
    });

    it("leaves a subset to the mandatory policy once a route in the same cluster sends traffic to it", () => {
        const stack = withSpareSubset();
        set(vs(stack, C1), ["spec", "http", 0, "route", 2], { destination: { host: HOST, subset: "v3", port: { number: 5000 } }, weight: 0 });
        expect(messages(rule, stack)).toEqual([expect.stringContaining("in cluster mdemo-cluster2 defines subset \"v3\"")]);
        expect(messages(routedRule, stack)).toEqual([expect.stringContaining("in cluster mdemo-cluster1 defines subset \"v3\" (version=v3), which a route sends traffic to")]);
    });

    it.each(["http", "tls", "tcp"] as const)("counts a %s route as routing to the subset", (section) => {
        const stack = withSpareSubset();
        for (const cluster of [C1, C2]) {
            const spec = vs(stack, cluster)["spec"] as Record<string, unknown[] | undefined>;
            spec[section] = [...(spec[section] ?? []), { route: [{ destination: { host: "helloworld", subset: "v3" } }] }];
        }
        expect(messages(rule, stack)).toEqual([]);
        expect(messages(routedRule, stack)).toHaveLength(2);
    });

    it.each([
        ["a route's subset", ["spec", "http", 0, "route", 0, "destination", "subset"]],
        ["a route's host", ["spec", "http", 0, "route", 0, "destination", "host"]],
        ["a route list", ["spec", "http", 0, "route"]],
        ["the VirtualService's namespace", ["metadata", "namespace"]],
    ] as const)("reports neither way while %s is unknown during preview", (_what, path) => {
        const stack = withSpareSubset();
        set(vs(stack, C1), [...path], UNKNOWN);
        expect(messages(rule, stack)).toEqual([expect.stringContaining("in cluster mdemo-cluster2")]);
        expect(messages(routedRule, stack)).toEqual([]);
    });
});
