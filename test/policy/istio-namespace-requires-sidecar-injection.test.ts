import { describe, expect, it } from "vitest";
import { istioNamespaceRequiresSidecarInjection as rule } from "../../policy/istio-namespace-requires-sidecar-injection.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { C1, C2, devStack, find, messages, namespace, NS, set, type Stack } from "./fixtures.ts";

const ns = (stack: Stack, cluster: string) => find(stack, cluster, "Namespace", NS);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("istio-namespace-requires-sidecar-injection", () => {
    it.each([
        [{ "istio-injection": "enabled" }],
        [{ "istio.io/rev": "1-30-3" }],
    ])("passes a namespace labelled %j", (labels) => {
        const stack = devStack();
        set(ns(stack, C1), ["metadata", "labels"], labels);
        expect(messages(rule, stack)).toEqual([]);
    });

    it.each([
        ["no label", {}, "has neither istio-injection: enabled nor istio.io/rev; it must carry exactly one of them"],
        ["both labels", { "istio-injection": "enabled", "istio.io/rev": "canary" },
            "sets both istio-injection: enabled and istio.io/rev: canary; it must set exactly one"],
        ["injection disabled", { "istio-injection": "disabled" }, "sets istio-injection: disabled; it must enable injection"],
        ["a value Istio ignores", { "istio-injection": "true" }, "sets istio-injection: true, which Istio ignores"],
        ["an empty revision", { "istio.io/rev": "" }, "has neither istio-injection: enabled nor istio.io/rev"],
    ])("fails a mesh namespace with %s", (_what, labels, problem) => {
        const stack = devStack();
        set(ns(stack, C1), ["metadata", "labels"], labels);
        expect(messages(rule, stack)).toEqual([expect.stringMatching(new RegExp(
            `^Namespace gray-demo in cluster mdemo-cluster1 holds mesh workloads \\(Deployment helloworld-v2\\) but ${escape(problem)}.*, so that its pods get an Istio sidecar\\.$`,
        ))]);
    });

    it("ignores a namespace that holds no workloads of the mesh's services", () => {
        const stack = devStack();
        stack[C1] = [namespace({}), ...(stack[C1] ?? []).filter((m) => m.kind !== "Deployment" && m.kind !== "Namespace")];
        expect(messages(rule, stack)).toEqual([]);
    });

    it("ignores namespaces the stack does not route to", () => {
        const stack = devStack();
        for (const cluster of [C1, C2]) {
            set(find(stack, cluster, "VirtualService", "gray-demo-vs"), ["spec", "http"], []);
            stack[cluster] = (stack[cluster] ?? []).filter((m) => m.kind !== "DestinationRule");
            set(ns(stack, cluster), ["metadata", "labels"], {});
        }
        expect(messages(rule, stack)).toEqual([]);
    });

    it("leaves a namespace the stack does not manage to its owner", () => {
        const stack = devStack();
        stack[C1] = (stack[C1] ?? []).filter((m) => m.kind !== "Namespace");
        expect(messages(rule, stack)).toEqual([]);
    });

    it.each(["labels", "annotations"] as const)("fails a routed workload that opts out of injection in its pod %s", (field) => {
        const stack = devStack();
        set(find(stack, C2, "Deployment", "helloworld-v1"), ["spec", "template", "metadata", field, "sidecar.istio.io/inject"], "false");
        expect(messages(rule, stack)).toEqual([
            "Deployment gray-demo/helloworld-v1 in cluster mdemo-cluster2 opts its pods out of sidecar injection " +
            "(sidecar.istio.io/inject: \"false\"), yet Istio routes traffic for Service gray-demo/helloworld to them; " +
            "mesh workloads must run a sidecar, or ISTIO_MUTUAL connections to them fail.",
        ]);
    });

    it("does not judge namespace labels that are unknown during preview", () => {
        const stack = devStack();
        set(ns(stack, C1), ["metadata", "labels"], UNKNOWN);
        set(ns(stack, C2), ["metadata", "labels"], { "istio-injection": UNKNOWN });
        expect(messages(rule, stack)).toEqual([]);
    });
});
