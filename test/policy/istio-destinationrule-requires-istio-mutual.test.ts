import { describe, expect, it } from "vitest";
import { istioDestinationRuleRequiresIstioMutual as rule } from "../../policy/istio-destinationrule-requires-istio-mutual.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { C1, devStack, find, ISTIO_API_VERSIONS, messages, set, type Stack } from "./fixtures.ts";

const dr = (stack: Stack) => find(stack, C1, "DestinationRule", "helloworld");

describe.each(ISTIO_API_VERSIONS)("%s DestinationRule", (apiVersion) => {
    it("passes when the top level and every subset use ISTIO_MUTUAL", () => {
        expect(messages(rule, devStack(apiVersion))).toEqual([]);
    });

    it.each(["SIMPLE", "DISABLE", "MUTUAL"])("fails a subset that overrides TLS to %s", (mode) => {
        const stack = devStack(apiVersion);
        set(dr(stack), ["spec", "subsets", 1, "trafficPolicy", "tls", "mode"], mode);
        expect(messages(rule, stack)).toEqual([expect.stringMatching(
            new RegExp(`^DestinationRule gray-demo/helloworld in cluster mdemo-cluster1 overrides TLS in subset "v2" with tls.mode ${mode}; every subset that sets TLS must use ISTIO_MUTUAL`),
        )]);
    });
});

describe("istio-destinationrule-requires-istio-mutual", () => {
    it("fails a DestinationRule without top-level TLS", () => {
        const stack = devStack();
        set(dr(stack), ["spec", "trafficPolicy"], undefined);
        expect(messages(rule, stack)).toEqual([
            "DestinationRule gray-demo/helloworld in cluster mdemo-cluster1 sets no trafficPolicy.tls; it must set " +
            "trafficPolicy.tls.mode: ISTIO_MUTUAL so that traffic to helloworld.gray-demo.svc.cluster.local uses mesh mutual TLS.",
        ]);
    });

    it.each([
        ["DISABLE", "DISABLE sends plaintext, which STRICT peers reject"],
        ["SIMPLE", "SIMPLE presents no client certificate, so STRICT peers reject it and the caller has no mesh identity"],
        ["MUTUAL", "MUTUAL uses certificates the application manages instead of the mesh's workload identities"],
        ["ISTIO_MUTAL", "'ISTIO_MUTAL' is not a TLS mode Istio accepts"],
    ])("fails the top-level mode %s, saying why", (mode, why) => {
        const stack = devStack();
        set(dr(stack), ["spec", "trafficPolicy", "tls", "mode"], mode);
        expect(messages(rule, stack)).toEqual([
            `DestinationRule gray-demo/helloworld in cluster mdemo-cluster1 sets trafficPolicy.tls.mode ${mode}; it must be ISTIO_MUTUAL (${why}).`,
        ]);
    });

    it("reads a tls block without a mode as DISABLE, as Istio does", () => {
        const stack = devStack();
        set(dr(stack), ["spec", "trafficPolicy", "tls"], { sni: "helloworld" });
        expect(messages(rule, stack)).toEqual([expect.stringContaining("sets trafficPolicy.tls.mode DISABLE")]);
    });

    it("passes a subset that sets a traffic policy without TLS (it inherits the top level)", () => {
        const stack = devStack();
        set(dr(stack), ["spec", "subsets", 0, "trafficPolicy"], { connectionPool: { tcp: { maxConnections: 10 } } });
        expect(messages(rule, stack)).toEqual([]);
    });

    it("fails a port-level setting that weakens TLS, at the top level and in a subset", () => {
        const stack = devStack();
        set(dr(stack), ["spec", "trafficPolicy", "portLevelSettings"], [{ port: { number: 5000 }, tls: { mode: "SIMPLE" } }]);
        set(dr(stack), ["spec", "subsets", 0, "trafficPolicy", "portLevelSettings"], [{ port: { number: 5000 }, tls: { mode: "DISABLE" } }]);
        expect(messages(rule, stack)).toEqual([
            expect.stringContaining("sets tls.mode SIMPLE for port 5000 in trafficPolicy.portLevelSettings; it must be ISTIO_MUTUAL"),
            expect.stringContaining("sets tls.mode DISABLE for port 5000 in subset \"v1\" trafficPolicy.portLevelSettings; it must be ISTIO_MUTUAL"),
        ]);
    });

    it("exempts hosts listed in exemptHosts (TLS origination to services outside the mesh)", () => {
        const stack = devStack();
        set(dr(stack), ["spec", "host"], "api.example.com");
        set(dr(stack), ["spec", "trafficPolicy", "tls", "mode"], "SIMPLE");
        expect(messages(rule, stack)).toHaveLength(1);
        expect(messages(rule, stack, { [rule.name]: { exemptHosts: ["*.example.com"] } })).toEqual([]);
    });

    it.each([
        ["the whole spec", ["spec"]],
        ["the traffic policy", ["spec", "trafficPolicy"]],
        ["the top-level mode", ["spec", "trafficPolicy", "tls", "mode"]],
    ] as const)("does not judge %s while it is unknown during preview", (_what, path) => {
        const stack = devStack();
        set(dr(stack), [...path], UNKNOWN);
        expect(messages(rule, stack)).toEqual([]);
    });

    it("still judges the known subsets when the top-level mode is unknown", () => {
        const stack = devStack();
        set(dr(stack), ["spec", "trafficPolicy", "tls", "mode"], UNKNOWN);
        set(dr(stack), ["spec", "subsets", 0, "trafficPolicy", "tls", "mode"], "SIMPLE");
        expect(messages(rule, stack)).toEqual([expect.stringContaining("subset \"v1\" with tls.mode SIMPLE")]);
    });
});
