import { describe, expect, it } from "vitest";
import { istioPeerAuthenticationMustBeStrict as rule } from "../../policy/istio-peerauthentication-must-be-strict.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { C1, C2, devStack, find, findings, ISTIO_API_VERSIONS, messages, set, type Manifest, type Stack } from "./fixtures.ts";

const pa = (stack: Stack, cluster: string) => find(stack, cluster, "PeerAuthentication", "default");
const withoutPeerAuthentication = (stack: Stack) => {
    for (const cluster of [C1, C2]) {
        stack[cluster] = (stack[cluster] ?? []).filter((m) => m.kind !== "PeerAuthentication");
    }
};
const meshWide = (mode: string): Manifest => ({
    apiVersion: "security.istio.io/v1", kind: "PeerAuthentication",
    metadata: { name: "default", namespace: "istio-system" }, spec: { mtls: { mode } },
});

describe.each(ISTIO_API_VERSIONS)("PeerAuthentication beside %s config", (apiVersion) => {
    it("passes a STRICT PeerAuthentication in the namespace", () => {
        expect(messages(rule, devStack(apiVersion))).toEqual([]);
    });
});

describe("istio-peerauthentication-must-be-strict", () => {
    it("is advisory unless configured otherwise", () => {
        const stack = devStack();
        set(pa(stack, C1), ["spec", "mtls", "mode"], "PERMISSIVE");
        expect(findings(rule, stack).map((f) => f.level)).toEqual(["advisory"]);
        expect(findings(rule, stack, { [rule.name]: { enforcementLevel: "mandatory" } }).map((f) => f.level)).toEqual(["mandatory"]);
    });

    it.each(["PERMISSIVE", "DISABLE"])("fails a PeerAuthentication with mode %s", (mode) => {
        const stack = devStack();
        set(pa(stack, C1), ["spec", "mtls", "mode"], mode);
        expect(messages(rule, stack)).toEqual([
            `PeerAuthentication gray-demo/default in cluster mdemo-cluster1 sets mtls.mode ${mode}; it must be STRICT so that workloads refuse plaintext connections.`,
        ]);
    });

    it("fails a port-level exception", () => {
        const stack = devStack();
        set(pa(stack, C1), ["spec", "portLevelMtls"], { 5000: { mode: "PERMISSIVE" } });
        expect(messages(rule, stack)).toEqual([expect.stringContaining("sets mtls.mode PERMISSIVE for port 5000; it must be STRICT")]);
    });

    it("fails a mesh namespace that no STRICT PeerAuthentication covers, in each config cluster", () => {
        const stack = devStack();
        withoutPeerAuthentication(stack);
        const expected = (cluster: string) =>
            `Namespace gray-demo in cluster ${cluster} is not covered by a PeerAuthentication with mtls.mode STRICT, neither ` +
            "in gray-demo nor in the root namespace istio-system, so its workloads accept plaintext (Istio's default is " +
            "PERMISSIVE); a PeerAuthentication in gray-demo must set mtls.mode: STRICT.";
        expect(messages(rule, stack)).toEqual([expected(C1), expected(C2)]);
    });

    it("accepts a STRICT mesh-wide PeerAuthentication in the root namespace, configurable", () => {
        const stack = devStack();
        withoutPeerAuthentication(stack);
        stack[C1]?.push(meshWide("STRICT"));
        stack[C2]?.push({ ...meshWide("STRICT"), metadata: { name: "default", namespace: "mesh-root" } });
        expect(messages(rule, stack)).toEqual([expect.stringContaining("in cluster mdemo-cluster2 is not covered")]);
        expect(messages(rule, stack, { [rule.name]: { rootNamespace: "mesh-root" } })).toEqual([
            expect.stringContaining("in cluster mdemo-cluster1 is not covered"),
        ]);
    });

    it("lets a namespace policy with mode UNSET inherit a STRICT root policy", () => {
        const stack = devStack();
        for (const cluster of [C1, C2]) {
            set(pa(stack, cluster), ["spec", "mtls", "mode"], "UNSET");
            stack[cluster]?.push(meshWide("STRICT"));
        }
        expect(messages(rule, stack)).toEqual([]);
    });

    it("does not count a workload-scoped PeerAuthentication as covering the namespace", () => {
        const stack = devStack();
        set(pa(stack, C1), ["spec", "selector"], { matchLabels: { app: "helloworld" } });
        expect(messages(rule, stack)).toEqual([expect.stringContaining("Namespace gray-demo in cluster mdemo-cluster1 is not covered")]);
    });

    it.each([
        ["its mode", ["spec", "mtls", "mode"]],
        ["its selector", ["spec", "selector"]],
        ["its namespace", ["metadata", "namespace"]],
    ] as const)("does not judge a PeerAuthentication while %s is unknown during preview", (_what, path) => {
        const stack = devStack();
        set(pa(stack, C1), [...path], UNKNOWN);
        expect(messages(rule, stack)).toEqual([]);
    });
});
