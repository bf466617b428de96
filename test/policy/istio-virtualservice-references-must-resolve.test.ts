import { describe, expect, it } from "vitest";
import { istioVirtualServiceReferencesMustResolve as rule } from "../../policy/istio-virtualservice-references-must-resolve.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { C1, C2, devStack, find, HOST, ISTIO_API_VERSIONS, messages, NS, set, type Stack } from "./fixtures.ts";

const vs = (stack: Stack) => find(stack, C1, "VirtualService", "gray-demo-vs");
const dest = (i: number) => ["spec", "http", 0, "route", i, "destination"] as const;
const withoutKind = (stack: Stack, cluster: string, kind: string) => {
    stack[cluster] = (stack[cluster] ?? []).filter((m) => m.kind !== kind);
};

describe.each(ISTIO_API_VERSIONS)("%s VirtualService", (apiVersion) => {
    it("passes when hosts, subsets and the gateway all resolve in each cluster", () => {
        expect(messages(rule, devStack(apiVersion))).toEqual([]);
    });

    it("fails a subset that the cluster's DestinationRule does not define", () => {
        const stack = devStack(apiVersion);
        set(vs(stack), [...dest(1), "subset"], "v3");
        expect(messages(rule, stack)).toEqual([
            `VirtualService gray-demo/gray-demo-vs in cluster mdemo-cluster1 routes http[0].route[1] to subset "v3" of ${HOST}, ` +
            "but DestinationRule gray-demo/helloworld in that cluster defines only \"v1\" and \"v2\"; the subset must be defined " +
            "by a DestinationRule for the same host in the same cluster, or Envoy answers 503 for this route.",
        ]);
    });
});

describe("istio-virtualservice-references-must-resolve: subsets", () => {
    it("fails a subset defined only by a DestinationRule in another cluster", () => {
        const stack = devStack();
        withoutKind(stack, C1, "DestinationRule");
        expect(messages(rule, stack)).toEqual([
            expect.stringContaining(`routes http[0].route[0] to subset "v1" of ${HOST}, but no DestinationRule for that host exists in cluster mdemo-cluster1 (a DestinationRule for it exists only in mdemo-cluster2)`),
            expect.stringContaining("routes http[0].route[1] to subset \"v2\""),
        ]);
    });

    it("does not conclude a subset is missing while a DestinationRule's subsets are unknown", () => {
        const stack = devStack();
        set(vs(stack), [...dest(1), "subset"], "v3");
        set(find(stack, C1, "DestinationRule", "helloworld"), ["spec", "subsets"], UNKNOWN);
        expect(messages(rule, stack)).toEqual([]);
    });

    it("does not conclude a DestinationRule is missing while one's host is unknown", () => {
        const stack = devStack();
        set(find(stack, C1, "DestinationRule", "helloworld"), ["spec", "host"], UNKNOWN);
        expect(messages(rule, stack)).toEqual([]);
    });
});

describe("istio-virtualservice-references-must-resolve: hosts", () => {
    it.each(["helloworld", HOST])("passes the host written as %s", (host) => {
        const stack = devStack();
        set(vs(stack), [...dest(0), "host"], host);
        set(vs(stack), [...dest(1), "host"], host);
        expect(messages(rule, stack)).toEqual([]);
    });

    it.each(["helloworld.gray-demo", "helloworld.gray-demo.svc"])("fails %s, which Istio does not expand", (host) => {
        const stack = devStack();
        set(vs(stack), [...dest(1), "host"], host);
        expect(messages(rule, stack)).toEqual([
            `VirtualService gray-demo/gray-demo-vs in cluster mdemo-cluster1 routes http[0].route[1] to host '${host}', which ` +
            "Istio takes literally (it only expands names without a dot), so it matches no Service; it must be " +
            `'${HOST}' or 'helloworld'.`,
        ]);
    });

    it("fails a host that names no Service in any cluster", () => {
        const stack = devStack();
        set(vs(stack), [...dest(1), "host"], "goodbye");
        expect(messages(rule, stack)).toEqual([expect.stringContaining(
            "routes http[0].route[1] to host 'goodbye', which matches no Service in the stack (no Service gray-demo/goodbye in any cluster); a destination host must name a Service",
        )]);
    });

    it("resolves a short name in the VirtualService's own namespace", () => {
        const stack = devStack();
        set(vs(stack), ["metadata", "namespace"], "other");
        set(vs(stack), ["spec", "gateways"], ["gray-demo/gray-demo-gateway"]);
        set(vs(stack), [...dest(0), "host"], "helloworld");
        expect(messages(rule, stack)).toEqual([expect.stringContaining("(no Service other/helloworld in any cluster)")]);
    });

    it("finds a Service that exists only in another cluster (a mesh-wide host)", () => {
        const stack = devStack();
        withoutKind(stack, C1, "Service");
        expect(messages(rule, stack)).toEqual([]);
    });

    it("accepts ServiceEntry hosts and configured externalHosts", () => {
        const stack = devStack();
        set(vs(stack), [...dest(1), "host"], "api.example.com");
        set(vs(stack), [...dest(1), "subset"], undefined);
        expect(messages(rule, stack)).toHaveLength(1);
        expect(messages(rule, stack, { [rule.name]: { externalHosts: ["*.example.com"] } })).toEqual([]);
        stack[C2]?.push({
            apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", metadata: { name: "api", namespace: NS },
            spec: { hosts: ["api.example.com"], location: "MESH_EXTERNAL", ports: [{ number: 443, name: "tls", protocol: "TLS" }] },
        });
        expect(messages(rule, stack)).toEqual([]);
    });

    it("fails a destination port the Service does not expose", () => {
        const stack = devStack();
        set(vs(stack), [...dest(1), "port", "number"], 5001);
        expect(messages(rule, stack)).toEqual([expect.stringContaining(
            `routes http[0].route[1] to port 5001 of ${HOST}, but Service gray-demo/helloworld exposes only 5000; the destination port must be one of the Service's ports.`,
        )]);
    });

    it("fails a destination without a host", () => {
        const stack = devStack();
        set(vs(stack), [...dest(1), "host"], undefined);
        expect(messages(rule, stack)).toEqual([expect.stringContaining("has a destination at http[0].route[1] without a host")]);
    });

    it("does not judge a host that is unknown during preview", () => {
        const stack = devStack();
        set(vs(stack), [...dest(1), "host"], UNKNOWN);
        expect(messages(rule, stack)).toEqual([]);
    });

    it("does not conclude a host is missing while some Service's name is unknown", () => {
        const stack = devStack();
        set(vs(stack), [...dest(1), "host"], "goodbye");
        set(vs(stack), [...dest(1), "subset"], undefined);
        expect(messages(rule, stack)).toHaveLength(1);
        set(find(stack, C2, "Service", "helloworld"), ["metadata", "name"], UNKNOWN);
        expect(messages(rule, stack)).toEqual([]);
    });
});

describe("istio-virtualservice-references-must-resolve: gateways", () => {
    it.each([["mesh"], ["gray-demo/gray-demo-gateway"], ["gray-demo-gateway", "mesh"]])("passes gateways %j", (...gateways) => {
        const stack = devStack();
        set(vs(stack), ["spec", "gateways"], gateways);
        expect(messages(rule, stack)).toEqual([]);
    });

    it("fails a Gateway that the VirtualService's cluster does not define", () => {
        const stack = devStack();
        withoutKind(stack, C1, "Gateway");
        expect(messages(rule, stack)).toEqual([
            "VirtualService gray-demo/gray-demo-vs in cluster mdemo-cluster1 binds to Gateway gray-demo/gray-demo-gateway, " +
            "which the stack does not define in that cluster; the Gateway must exist beside the VirtualService (or be listed " +
            "in the policy's externalGateways) or nothing serves the route.",
        ]);
    });

    it("checks gateways named in route matches, and accepts configured externalGateways", () => {
        const stack = devStack();
        set(vs(stack), ["spec", "http", 0, "match"], [{ gateways: ["istio-system/public"] }]);
        expect(messages(rule, stack)).toEqual([expect.stringContaining("binds to Gateway istio-system/public")]);
        expect(messages(rule, stack, { [rule.name]: { externalGateways: ["istio-system/public"] } })).toEqual([]);
    });

    it("does not conclude a Gateway is missing while one's name is unknown", () => {
        const stack = devStack();
        set(find(stack, C1, "Gateway", "gray-demo-gateway"), ["metadata", "name"], UNKNOWN);
        expect(messages(rule, stack)).toEqual([]);
    });
});

describe("istio-virtualservice-references-must-resolve: routes beyond the split", () => {
    it("fails a testers' route to a subset no DestinationRule defines", () => {
        const stack = devStack();
        const routes = (vs(stack).spec as { http: unknown[] }).http;
        set(vs(stack), ["spec", "http"], [{ name: "testers", match: [{ headers: { "x-canary": { exact: "always" } } }], route: [{ destination: { host: HOST, subset: "v3" } }] }, ...routes]);
        expect(messages(rule, stack)).toEqual([
            expect.stringContaining(`VirtualService gray-demo/gray-demo-vs in cluster mdemo-cluster1 routes http[0].route[0] to subset "v3" of ${HOST}, but DestinationRule gray-demo/helloworld in that cluster defines only "v1" and "v2"`),
        ]);
    });

    it("fails a mirror to a subset no DestinationRule defines", () => {
        const stack = devStack();
        set(vs(stack), ["spec", "http", 0, "mirror"], { host: HOST, subset: "v3" });
        expect(messages(rule, stack)).toEqual([
            expect.stringContaining(`VirtualService gray-demo/gray-demo-vs in cluster mdemo-cluster1 routes http[0].mirror to subset "v3" of ${HOST}`),
        ]);
    });
});
