import { describe, expect, it } from "vitest";
import { istioConfigMustPassIstioValidation as rule } from "../../policy/istio-config-must-pass-istio-validation.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { C1, devStack, find, HOST, ISTIO_API_VERSIONS, messages, set, type Stack } from "./fixtures.ts";

const vs = (stack: Stack) => find(stack, C1, "VirtualService", "gray-demo-vs");
const pa = (stack: Stack) => find(stack, C1, "PeerAuthentication", "default");

describe.each(ISTIO_API_VERSIONS)("%s objects", (apiVersion) => {
    it("passes the dev release", () => {
        expect(messages(rule, devStack(apiVersion))).toEqual([]);
    });

    it("fails a VirtualService without routes", () => {
        const stack = devStack(apiVersion);
        set(vs(stack), ["spec", "http"], []);
        expect(messages(rule, stack)).toEqual([
            "VirtualService gray-demo/gray-demo-vs in cluster mdemo-cluster1 has no http, tcp or tls route, which Istio's " +
            "validation rejects (\"http, tcp or tls must be provided in virtual service\"); it must have at least one route, or be removed.",
        ]);
    });
});

describe("istio-config-must-pass-istio-validation: VirtualService hosts", () => {
    it.each([
        ["names mesh among its gateways", ["gray-demo-gateway", "mesh"], "its gateways include mesh"],
        ["names no gateway", [], "it names no gateway"],
    ])("fails host '*' on a VirtualService that %s", (_what, gateways, binding) => {
        const stack = devStack();
        set(vs(stack), ["spec", "gateways"], gateways);
        expect(messages(rule, stack)).toEqual([
            `VirtualService gray-demo/gray-demo-vs in cluster mdemo-cluster1 applies to the mesh's sidecars (${binding}) with ` +
            "host '*', which Istio's validation rejects (\"wildcard host * is not allowed for virtual services bound to the " +
            "mesh gateway\"); it must name the hosts it routes (such as the Service's name), or bind to Gateways only.",
        ]);
    });

    it("passes a mesh-bound VirtualService that names its host, and '*' on one bound to Gateways only", () => {
        const stack = devStack();
        set(vs(stack), ["spec", "gateways"], ["mesh"]);
        set(vs(stack), ["spec", "hosts"], [HOST]);
        expect(messages(rule, stack)).toEqual([]);
        set(vs(stack), ["spec", "gateways"], ["gray-demo/gray-demo-gateway"]);
        set(vs(stack), ["spec", "hosts"], ["*"]);
        expect(messages(rule, stack)).toEqual([]);
    });

    it.each([["the hosts", ["spec", "hosts"]], ["the gateways", ["spec", "gateways"]], ["the routes", ["spec", "http"]]] as const)(
        "does not judge a VirtualService while %s are unknown during preview", (_what, path) => {
            const stack = devStack();
            set(vs(stack), ["spec", "gateways"], []);
            set(vs(stack), ["spec", "http"], []);
            set(vs(stack), [...path], UNKNOWN);
            expect(messages(rule, stack)).toEqual([]);
        },
    );
});

describe("istio-config-must-pass-istio-validation: tls routes", () => {
    const tlsRoute = (match: unknown) => [{ ...(match === undefined ? {} : { match }), route: [{ destination: { host: HOST, subset: "v1" } }] }];

    it.each([
        ["no match", undefined, "has no match"],
        ["a match without sniHosts", [{ port: 443 }], "has a match without sniHosts"],
    ])("fails a tls route with %s", (_what, match, problem) => {
        const stack = devStack();
        set(vs(stack), ["spec", "tls"], tlsRoute(match));
        expect(messages(rule, stack)).toEqual([
            `VirtualService gray-demo/gray-demo-vs in cluster mdemo-cluster1 route tls[0] ${problem}, which Istio's validation ` +
            "rejects (\"TLS route must have at least one match condition\", \"TLS match must have at least one SNI host\"); " +
            "every tls route must match on SNI hosts.",
        ]);
    });

    it("passes a tls route that matches SNI hosts", () => {
        const stack = devStack();
        set(vs(stack), ["spec", "tls"], tlsRoute([{ sniHosts: ["hello.example.com"] }]));
        expect(messages(rule, stack)).toEqual([]);
    });
});

describe("istio-config-must-pass-istio-validation: PeerAuthentication", () => {
    it("fails portLevelMtls on a namespace-wide PeerAuthentication", () => {
        const stack = devStack();
        set(pa(stack), ["spec", "portLevelMtls"], { 5000: { mode: "STRICT" } });
        expect(messages(rule, stack)).toEqual([
            "PeerAuthentication gray-demo/default in cluster mdemo-cluster1 sets portLevelMtls for port 5000 without a workload " +
            "selector, which Istio's validation rejects (\"mesh/namespace peer authentication cannot have port level mTLS\"); " +
            "it must select workloads with selector.matchLabels, or set mtls.mode for the whole namespace instead.",
        ]);
    });

    it("passes portLevelMtls with a workload selector, and does not judge an unknown selector", () => {
        const stack = devStack();
        set(pa(stack), ["spec", "portLevelMtls"], { 5000: { mode: "STRICT" } });
        set(pa(stack), ["spec", "selector"], { matchLabels: { app: "helloworld" } });
        expect(messages(rule, stack)).toEqual([]);
        set(pa(stack), ["spec", "selector"], UNKNOWN);
        expect(messages(rule, stack)).toEqual([]);
    });
});
