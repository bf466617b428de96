// Two services released side by side, as a platform team would: Istio's helloworld and a checkout
// service with another port and health path, in one namespace, across the same two clusters, through
// one Kubernetes provider per cluster that both releases share. Each has its own split, Gateway host
// and VirtualService; each is judged on its own Service host (`npm run verify`, the rollout).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { GrayscaleRelease, type ReleaseClusterArgs } from "istio-grayscale";

/** How to reach a cluster: a kubeconfig context, or a directory to render its YAML into (no cluster). */
interface ClusterTarget {
    context?: string;
    renderYamlToDirectory?: string;
}

const config = new pulumi.Config();
const targets = config.requireObject<Record<string, ClusterTarget>>("clusters");

// Both clusters are primaries of a multi-primary mesh: each holds the Istio config and runs workloads.
const clusters: Record<string, ReleaseClusterArgs> = Object.fromEntries(Object.entries(targets).map(([name, target]) => [name, {
    provider: new k8s.Provider(name, target.renderYamlToDirectory === undefined ? { context: target.context } : { renderYamlToDirectory: target.renderYamlToDirectory }),
    istioConfig: true,
}]));
const [east, west] = Object.keys(clusters);
if (east === undefined || west === undefined) {
    throw new pulumi.RunError("two-services:clusters must name two clusters");
}

const namespace = "shop";

const helloworld = new GrayscaleRelease("helloworld", {
    app: { name: "helloworld", port: 5000, healthPath: "/health", versionVariable: "SERVICE_VERSION", checkPath: "/hello" },
    namespace,
    clusters,
    versions: {
        v1: { image: "docker.m.daocloud.io/istio/examples-helloworld-v1:1.0", clusters: [west] },
        v2: { image: "docker.m.daocloud.io/istio/examples-helloworld-v2:1.0", clusters: [east] },
    },
    weights: config.requireObject<Record<string, number>>("helloworldWeights"),
    gateway: { hosts: ["hello.shop.example.com"] },
});

// The second release in the namespace: the first owns the namespace and its PeerAuthentication.
const checkout = new GrayscaleRelease("checkout", {
    app: { name: "checkout", port: 8080, healthPath: "/healthz", checkPath: "/version" },
    namespace,
    createNamespace: false,
    clusters,
    versions: {
        stable: { image: "registry.example.com/shop/checkout:1.4.2", clusters: [east, west], replicas: 2 },
        canary: {
            image: "registry.example.com/shop/checkout:1.5.0",
            clusters: [east],
            resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
        },
    },
    weights: config.requireObject<Record<string, number>>("checkoutWeights"),
    gateway: { hosts: ["checkout.shop.example.com"] },
}, { dependsOn: [helloworld] });

export const releases = {
    helloworld: { split: helloworld.split, host: helloworld.serviceHost, checkPath: helloworld.checkPath },
    checkout: { split: checkout.split, host: checkout.serviceHost, checkPath: checkout.checkPath },
};
