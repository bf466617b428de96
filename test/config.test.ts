import { describe, expect, it } from "vitest";
import { ConfigError, parseReleaseConfig, rawConfigFromStrings } from "../config/index.ts";
import { devStackConfig } from "./support/dev-stack.ts";

/** The ConfigError message a change to the dev stack produces (fails the test if none). */
function problemsOf(change: (raw: Record<string, any>) => void): string {
    const raw = devStackConfig();
    change(raw);
    try {
        parseReleaseConfig(raw);
    } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).message;
    }
    throw new Error("expected the config to be rejected");
}

describe("parseReleaseConfig: the dev stack", () => {
    it("fills in every documented default", () => {
        const config = parseReleaseConfig(devStackConfig());
        expect(config.namespace).toBe("gray-demo");
        expect(config.service).toEqual({ name: "helloworld", port: 5000, portName: "http-5000" });
        expect(config.gateway).toEqual({ name: "gray-demo-gateway", hosts: ["*"], port: 80, selector: { istio: "ingressgateway" } });
        expect(config.virtualService).toEqual({ name: "gray-demo-vs" });
        expect(config.istioApiVersion).toBe("networking.istio.io/v1");
        expect(config.securityApiVersion).toBe("security.istio.io/v1");
        expect(config.injectionRevision).toBeNull();
        expect(config.peerAuthentication).toBe("STRICT");
        expect(config.protectNamespace).toBe(true);
    });

    it("places v1 on cluster2 and v2 on cluster1 at 80/20 with pinned default images", () => {
        const config = parseReleaseConfig(devStackConfig());
        expect(config.versions.map((v) => [v.name, v.clusters, v.weight, v.image])).toEqual([
            ["v1", ["mdemo-cluster2"], 80, "docker.m.daocloud.io/istio/examples-helloworld-v1:1.0"],
            ["v2", ["mdemo-cluster1"], 20, "docker.m.daocloud.io/istio/examples-helloworld-v2:1.0"],
        ]);
        expect(config.clusters.map((c) => [c.name, c.context, c.istioConfig, c.workloads])).toEqual([
            ["mdemo-cluster1", "mdemo-cluster1", true, true],
            ["mdemo-cluster2", "mdemo-cluster2", true, true],
        ]);
    });

    it("maps v1beta1 networking to the v1beta1 security API", () => {
        const raw = devStackConfig();
        raw.istioApiVersion = "networking.istio.io/v1beta1";
        expect(parseReleaseConfig(raw).securityApiVersion).toBe("security.istio.io/v1beta1");
    });
});

describe("parseReleaseConfig: every problem, with its key path and fix", () => {
    it.each<[string, (raw: Record<string, any>) => void]>([
        ["weights that do not add up to 100", (r) => { r.weights.v2 = 10; }],
        ["a fractional weight", (r) => { r.weights.v1 = 79.5; r.weights.v2 = 20.5; }],
        ["a negative weight", (r) => { r.weights.v1 = 120; r.weights.v2 = -20; }],
        ["a weight for an unknown version", (r) => { r.weights.v3 = 0; }],
        ["a version without a weight", (r) => { delete r.weights.v2; r.weights.v1 = 100; }],
        ["a version on an unknown cluster", (r) => { r.versions.v2.clusters = ["mdemo-cluster9"]; }],
        ["a version on a config-only cluster", (r) => { r.clusters["mdemo-cluster1"].workloads = false; }],
        ["no Istio config target", (r) => { r.clusters["mdemo-cluster1"].istioConfig = false; r.clusters["mdemo-cluster2"].istioConfig = false; }],
        ["a cluster with both context and kubeconfig", (r) => { r.clusters["mdemo-cluster1"].kubeconfig = "[secret]"; }],
        ["a cluster with neither context nor kubeconfig", (r) => { delete r.clusters["mdemo-cluster2"].context; }],
        ["a cluster with a context and a render directory", (r) => { r.clusters["mdemo-cluster2"].renderYamlToDirectory = "out/c2"; }],
        ["an empty render directory", (r) => { delete r.clusters["mdemo-cluster2"].context; r.clusters["mdemo-cluster2"].renderYamlToDirectory = ""; }],
        ["a namespace that is not DNS-1123", (r) => { r.namespace = "Gray_Demo"; }],
        ["a cluster name that is not DNS-1123", (r) => { r.clusters.Cluster_3 = { context: "c3", istioConfig: true }; }],
        ["a version name that is not DNS-1123", (r) => { r.versions.V3 = { clusters: ["mdemo-cluster1"], image: "r/x:1" }; r.weights.V3 = 0; }],
        ["a Service port out of range", (r) => { r.service = { port: 70000 }; }],
        ["a gateway port of 0", (r) => { r.gateway = { port: 0 }; }],
        ["a port name without a protocol prefix", (r) => { r.service = { portName: "web" }; }],
        ["a port name Istio cannot split by HTTP route", (r) => { r.service = { portName: "tcp-5000" }; }],
        ["a retired version that still has weight", (r) => { r.versions.v1.retired = true; }],
        ["a version with no cluster that is not retired", (r) => { r.versions.v2.clusters = []; }],
        ["an unpinned image", (r) => { r.versions.v1.image = "istio/examples-helloworld-v1:latest"; }],
        ["a version with no default image", (r) => { r.versions.v3 = { clusters: ["mdemo-cluster1"] }; r.weights.v3 = 0; }],
        ["a misspelt key", (r) => { r.versions.v1.replica = 2; }],
        ["an unknown peerAuthentication mode", (r) => { r.peerAuthentication = "DISABLE"; }],
        ["an unknown Istio API version", (r) => { r.istioApiVersion = "networking.istio.io/v2"; }],
        ["a missing required key", (r) => { delete r.weights; }],
    ])("%s", (_title, change) => {
        expect(problemsOf(change)).toMatchSnapshot();
    });

    it("reports every problem at once, not the first one only", () => {
        const message = problemsOf((r) => {
            r.weights.v2 = 10;
            r.namespace = "Gray_Demo";
            r.versions.v2.clusters = ["nowhere"];
        });
        expect(message).toContain("(3 problems)");
        expect(message).toContain("weights: v1 + v2 = 90; the weights must add up to exactly 100");
        expect(message).toContain("namespace:");
        expect(message).toContain("versions.v2.clusters[0]: 'nowhere' is not a cluster of this stack");
    });

    it("accepts a retired version at weight 0 and drops its placement", () => {
        const raw = devStackConfig();
        raw.versions.v1.retired = true;
        raw.weights = { v1: 0, v2: 100 };
        const v1 = parseReleaseConfig(raw).versions.find((v) => v.name === "v1");
        expect(v1).toMatchObject({ retired: true, weight: 0, clusters: [] });
    });
});

describe("rawConfigFromStrings", () => {
    it("parses structured values as JSON and keeps plain strings", () => {
        const values: Record<string, string> = {
            weights: "{\"v1\":80,\"v2\":20}", namespace: "gray-demo", protectNamespace: "false",
        };
        expect(rawConfigFromStrings((key) => values[key])).toEqual({
            weights: { v1: 80, v2: 20 }, namespace: "gray-demo", protectNamespace: false,
        });
    });
});
