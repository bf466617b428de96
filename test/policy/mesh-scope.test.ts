// Mesh scope: the mesh-only policies (port protocol names, injection, workload labels, PeerAuthentication,
// Service sameness) judge only namespaces in the mesh, so add-ons deployed beside the release pass.
import { describe, expect, it } from "vitest";
import { istioServicePortsMustDeclareProtocol as portsRule } from "../../policy/istio-service-ports-must-declare-protocol.ts";
import { istioWorkloadRequiresAppAndVersionLabels as labelsRule } from "../../policy/istio-workload-requires-app-and-version-labels.ts";
import { kubernetesServiceMustMatchAcrossClusters as samenessRule } from "../../policy/kubernetes-service-must-match-across-clusters.ts";
import { istioNamespaceRequiresSidecarInjection as injectionRule } from "../../policy/istio-namespace-requires-sidecar-injection.ts";
import { istioPeerAuthenticationMustBeStrict as peerAuthenticationRule } from "../../policy/istio-peerauthentication-must-be-strict.ts";
import { meshScope } from "../../policy/lib/mesh-scope.ts";
import { makeObject } from "../../policy/lib/model.ts";
import { evaluate } from "../../policy/lib/rule.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { rules } from "../../policy/rules.ts";
import { bystanders, C1, C2, devStack, find, messages, set, toObjects, type Stack } from "./fixtures.ts";

/** The dev release with kube-dns, cert-manager and ingress-nginx beside it in both clusters. */
function withBystanders(): Stack {
    const stack = devStack();
    for (const cluster of [C1, C2]) {
        stack[cluster] = [...(stack[cluster] ?? []), ...bystanders(cluster)];
    }
    return stack;
}

const labelNamespace = (stack: Stack, name: string, labels: unknown) => {
    for (const cluster of [C1, C2]) {
        set(find(stack, cluster, "Namespace", name), ["metadata", "labels"], labels);
    }
};

describe("mesh scope", () => {
    it("finds nothing in kube-dns, cert-manager or ingress-nginx beside the release, with every policy", () => {
        expect(evaluate(rules, toObjects(withBystanders()))).toEqual([]);
    });

    it("judges a namespace once its label puts it in the mesh, though nothing routes to it", () => {
        const stack = withBystanders();
        labelNamespace(stack, "cert-manager", { "istio-injection": "enabled" });
        expect(messages(portsRule, stack)).toEqual([C1, C2].map((cluster) => expect.stringMatching(
            new RegExp(`^Service cert-manager/cert-manager-webhook in cluster ${cluster} port 9402 is named 'webhook-metrics', which carries no Istio protocol prefix`),
        )));
        expect(messages(labelsRule, stack)).toEqual([C1, C2].map((cluster) => expect.stringContaining(
            `Deployment cert-manager/cert-manager-webhook in cluster ${cluster} runs pods without the 'version' label`,
        )));
        expect(messages(peerAuthenticationRule, stack)).toEqual([C1, C2].map((cluster) => expect.stringContaining(
            `Namespace cert-manager in cluster ${cluster} is not covered by a PeerAuthentication with mtls.mode STRICT`,
        )));
    });

    it("takes a revision label as a mesh label too, and a namespace in the mesh in one cluster as in the mesh in all", () => {
        const stack = withBystanders();
        set(find(stack, C1, "Namespace", "ingress-nginx"), ["metadata", "labels", "istio.io/rev"], "canary");
        expect(messages(samenessRule, stack)).toEqual([expect.stringContaining(
            "Service ingress-nginx/ingress-nginx-controller in cluster mdemo-cluster2 differs from the same Service in cluster mdemo-cluster1",
        )]);
    });

    it("asks every cluster's copy of a mesh namespace for the injection label, though nothing routes to it", () => {
        const stack = withBystanders();
        expect(messages(injectionRule, stack)).toEqual([]);
        set(find(stack, C1, "Namespace", "cert-manager"), ["metadata", "labels"], { "istio-injection": "enabled" });
        expect(messages(injectionRule, stack)).toEqual([expect.stringMatching(
            /^Namespace cert-manager in cluster mdemo-cluster2 holds mesh workloads \(Deployment cert-manager-webhook\) but has neither istio-injection: enabled nor istio.io\/rev/,
        )]);
    });

    it("judges a namespace the stack routes to, though the stack does not label it", () => {
        const stack = devStack();
        for (const cluster of [C1, C2]) {
            stack[cluster] = (stack[cluster] ?? []).filter((m) => m.kind !== "Namespace");
        }
        set(find(stack, C1, "Service", "helloworld"), ["spec", "ports", 0, "name"], "web");
        expect(messages(portsRule, stack)).toEqual([expect.stringContaining("Service gray-demo/helloworld in cluster mdemo-cluster1 port 5000 is named 'web'")]);
    });

    it("judges no namespace whose labels are unknown during preview, unless a route puts it in the mesh", () => {
        const stack = withBystanders();
        labelNamespace(stack, "cert-manager", UNKNOWN);
        labelNamespace(stack, "gray-demo", UNKNOWN);
        set(find(stack, C1, "Service", "helloworld"), ["spec", "ports", 0, "name"], "web");
        expect(messages(portsRule, stack)).toEqual([expect.stringContaining("Service gray-demo/helloworld in cluster mdemo-cluster1 port 5000 is named 'web'")]);
    });
});

describe("meshScope", () => {
    const namespaceObject = (name: string, labels: unknown) => makeObject({
        cluster: { key: C1, name: C1 }, group: "", version: "v1", kind: "Namespace", body: { metadata: { name, labels } },
    });

    it.each([
        ["istio-injection: enabled", { "istio-injection": "enabled" }, true],
        ["istio.io/rev", { "istio.io/rev": "1-24" }, true],
        ["istio-injection: disabled, though a revision is set", { "istio-injection": "disabled", "istio.io/rev": "1-24" }, false],
        ["no label", {}, false],
        ["an empty revision", { "istio.io/rev": "" }, false],
        ["labels unknown during preview", UNKNOWN, UNKNOWN],
    ])("a namespace with %s is in the mesh: %s", (_what, labels, expected) => {
        expect(meshScope([namespaceObject("apps", labels)], new Set()).inMesh("apps")).toBe(expected);
    });

    it("puts a routed namespace in the mesh whatever its labels, and lists the mesh's namespaces sorted", () => {
        const scope = meshScope([namespaceObject("routed", {}), namespaceObject("labelled", { "istio-injection": "enabled" })], new Set(["routed"]));
        expect([scope.inMesh("routed"), scope.inMesh("elsewhere"), scope.namespaces]).toEqual([true, false, ["labelled", "routed"]]);
    });
});
