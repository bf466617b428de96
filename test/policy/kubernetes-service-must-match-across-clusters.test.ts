import { describe, expect, it } from "vitest";
import { kubernetesServiceMustMatchAcrossClusters as rule } from "../../policy/kubernetes-service-must-match-across-clusters.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { C2, devStack, find, messages, namespace, service, set, type Stack } from "./fixtures.ts";

const svc = (stack: Stack, cluster: string) => find(stack, cluster, "Service", "helloworld");

describe("kubernetes-service-must-match-across-clusters", () => {
    it("passes the same Service in both clusters", () => {
        expect(messages(rule, devStack())).toEqual([]);
    });

    it("fills in API-server defaults before comparing (type ClusterIP, protocol TCP)", () => {
        const stack = devStack();
        set(svc(stack, C2), ["spec", "type"], undefined);
        set(svc(stack, C2), ["spec", "ports", 0, "protocol"], undefined);
        expect(messages(rule, stack)).toEqual([]);
    });

    it.each([
        ["a port name", ["spec", "ports", 0, "name"], "http-web", "ports http-web 5000/TCP here but http-5000 5000/TCP there"],
        ["a port number", ["spec", "ports", 0, "port"], 8080, "ports http-5000 8080/TCP here but http-5000 5000/TCP there"],
        ["the type", ["spec", "type"], "NodePort", "type NodePort here but ClusterIP there"],
        ["the selector", ["spec", "selector"], { app: "helloworld", tier: "web" }, "selector app=helloworld, tier=web here but app=helloworld there"],
        ["headlessness", ["spec", "clusterIP"], "None", "type ClusterIP (headless) here but ClusterIP there"],
    ] as const)("fails a Service whose %s differs in one cluster", (_what, path, value, difference) => {
        const stack = devStack();
        set(svc(stack, C2), [...path], value);
        expect(messages(rule, stack)).toEqual([
            `Service gray-demo/helloworld in cluster mdemo-cluster2 differs from the same Service in cluster mdemo-cluster1: ` +
            `${difference}; a Service with the same name and namespace must have the same type, ports, port names and ` +
            "selector in every cluster, because Istio merges them into one mesh host.",
        ]);
    });

    it("reports the odd cluster out against the shape most clusters share", () => {
        const stack = devStack();
        stack["mdemo-cluster0"] = [namespace(), service()];
        set(svc(stack, "mdemo-cluster0"), ["spec", "ports", 0, "name"], "web");
        expect(messages(rule, stack)).toEqual([expect.stringMatching(
            /^Service gray-demo\/helloworld in cluster mdemo-cluster0 differs from the same Service in cluster mdemo-cluster1 \(and 1 other cluster\): ports web 5000\/TCP here/,
        )]);
    });

    it("does not compare Services in different namespaces", () => {
        const stack = devStack();
        set(svc(stack, C2), ["metadata", "namespace"], "other");
        set(svc(stack, C2), ["spec", "type"], "NodePort");
        expect(messages(rule, stack)).toEqual([]);
    });

    it.each([
        ["ports", ["spec", "ports"]],
        ["one port's name", ["spec", "ports", 0, "name"]],
        ["the selector", ["spec", "selector"]],
        ["the name", ["metadata", "name"]],
    ] as const)("does not compare a Service whose %s is unknown during preview", (_what, path) => {
        const stack = devStack();
        set(svc(stack, C2), ["spec", "type"], "NodePort");
        set(svc(stack, C2), [...path], UNKNOWN);
        expect(messages(rule, stack)).toEqual([]);
    });
});
