// What each proxy of the local data plane is started with.
import { describe, expect, it } from "vitest";
import { podNetworkNames } from "../../../dev/dataplane/host-network.ts";
import type { DataPlanePod } from "../../../dev/dataplane/pods.ts";
import { downwardApiFile, interceptionArgs, proxyArgs, proxyConfig, proxyEnvironment } from "../../../dev/dataplane/proxy.ts";

const SIDECAR: DataPlanePod = {
    cluster: "mdemo-cluster2", namespace: "gray-demo", name: "helloworld-v1-abc", uid: "u", ip: "10.244.2.4",
    serviceAccount: "default", labels: { app: "helloworld", version: "v1" }, workload: "helloworld-v1", role: "sidecar",
    app: { version: "v1", port: 5000 },
};

describe("proxyConfig", () => {
    it("keeps the mesh's defaults (e.g. the stats matcher) and points the proxy at the data plane's istiod, Envoy and template", () => {
        const config = proxyConfig({
            meshDefaultConfig: { discoveryAddress: "127.0.0.1:1", proxyStatsMatcher: { inclusionPrefixes: ["cluster.outbound|"] } },
            discoveryAddress: "10.244.0.1:15012",
            envoyBinary: "/dp/bin/envoy",
            bootstrapTemplate: "/dp/bin/envoy_bootstrap_tmpl.json",
        });
        expect(config).toMatchObject({
            discoveryAddress: "10.244.0.1:15012",
            binaryPath: "/dp/bin/envoy",
            proxyBootstrapTemplatePath: "/dp/bin/envoy_bootstrap_tmpl.json",
            proxyStatsMatcher: { inclusionPrefixes: ["cluster.outbound|"] },
            statusPort: 15020,
        });
    });
});

describe("proxyEnvironment", () => {
    it("gives the agent the pod's identity, cluster and istiod's name, and no CA_ADDR", () => {
        const env = proxyEnvironment(SIDECAR, { discoveryAddress: "10.244.0.1:15012" });
        expect(env).toMatchObject({
            POD_NAME: "helloworld-v1-abc", POD_NAMESPACE: "gray-demo", INSTANCE_IP: "10.244.2.4", SERVICE_ACCOUNT: "default",
            ISTIO_META_CLUSTER_ID: "mdemo-cluster2", ISTIO_META_WORKLOAD_NAME: "helloworld-v1", ISTIOD_SAN: "istiod.istio-system.svc",
            JWT_POLICY: "third-party-jwt",
        });
        expect(JSON.parse(env.PROXY_CONFIG ?? "{}")).toEqual({ discoveryAddress: "10.244.0.1:15012" });
        expect(env).not.toHaveProperty("CA_ADDR");
    });
});

describe("proxyArgs and interceptionArgs", () => {
    it("starts a sidecar or a router, in the pod's namespace's domain", () => {
        expect(proxyArgs(SIDECAR).slice(0, 3)).toEqual(["proxy", "sidecar", "--domain=gray-demo.svc.cluster.local"]);
        expect(proxyArgs({ ...SIDECAR, role: "gateway", namespace: "istio-system" }).slice(0, 3))
            .toEqual(["proxy", "router", "--domain=istio-system.svc.cluster.local"]);
    });

    it("redirects as istio-init does, sparing the proxy's uid and its own ports", () => {
        expect(interceptionArgs().join(" ")).toBe(
            "istio-iptables -p 15001 -z 15006 -u 1337 -m REDIRECT -i * -x  -b * -d 15090,15021,15020 --log_output_level=default:info");
    });
});

describe("downwardApiFile", () => {
    it("writes key=\"value\" lines, sorted, as the downward API does", () => {
        expect(downwardApiFile({ version: "v1", app: "helloworld" })).toBe('app="helloworld"\nversion="v1"');
    });
});

describe("podNetworkNames", () => {
    it("names the namespace after the pod IP and the veth within the kernel's 15 characters", () => {
        expect(podNetworkNames("10.244.254.254")).toEqual({ netns: "hwg-10-244-254-254", hostVeth: "hwgv-254-254" });
        expect(podNetworkNames("10.244.254.254").hostVeth.length).toBeLessThanOrEqual(15);
        expect(() => podNetworkNames("10.244.1")).toThrow("is not an IPv4 address");
    });
});
