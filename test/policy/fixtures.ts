// A compliant two-cluster release in the shape of #2's render (v1 only in cluster2, v2 only in
// cluster1, Istio config in both), as plain manifests a test changes one field of.
import { makeObject, parseApiVersion, type K8sObject } from "../../policy/lib/model.ts";
import { evaluate, type Finding, type PolicySettings, type Rule } from "../../policy/lib/rule.ts";

export const ISTIO_API_VERSIONS = ["networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3"] as const;
export type IstioApiVersion = (typeof ISTIO_API_VERSIONS)[number];

export const C1 = "mdemo-cluster1";
export const C2 = "mdemo-cluster2";
export const NS = "gray-demo";
export const HOST = "helloworld.gray-demo.svc.cluster.local";

/** A manifest as YAML would give it: plain JSON a test may change. */
export type Manifest = { apiVersion: string; kind: string; metadata: Record<string, unknown>; [field: string]: unknown };
/** Manifests per cluster name. */
export type Stack = Record<string, Manifest[]>;

const MUTUAL = { tls: { mode: "ISTIO_MUTUAL" } };

export function deployment(version: string, overrides: { name?: string; labels?: Record<string, string> } = {}): Manifest {
    const labels = overrides.labels ?? { app: "helloworld", version };
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: overrides.name ?? `helloworld-${version}`, namespace: NS, labels },
        spec: {
            replicas: 1,
            selector: { matchLabels: labels },
            template: {
                metadata: { labels },
                spec: {
                    containers: [{
                        name: "helloworld",
                        image: `docker.m.daocloud.io/istio/examples-helloworld-${version}:1.0`,
                        ports: [{ name: "http", containerPort: 5000, protocol: "TCP" }],
                        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } },
                        securityContext: { runAsNonRoot: true, runAsUser: 65532 },
                    }],
                },
            },
        },
    };
}

export function service(): Manifest {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "helloworld", namespace: NS, labels: { app: "helloworld" } },
        spec: {
            type: "ClusterIP",
            selector: { app: "helloworld" },
            ports: [{ name: "http-5000", port: 5000, targetPort: 5000, protocol: "TCP" }],
        },
    };
}

export function istioConfig(apiVersion: IstioApiVersion, versions: readonly string[] = ["v1", "v2"]): Manifest[] {
    const security = apiVersion === "networking.istio.io/v1" ? "security.istio.io/v1" : "security.istio.io/v1beta1";
    return [
        {
            apiVersion: security,
            kind: "PeerAuthentication",
            metadata: { name: "default", namespace: NS },
            spec: { mtls: { mode: "STRICT" } },
        },
        {
            apiVersion,
            kind: "DestinationRule",
            metadata: { name: "helloworld", namespace: NS },
            spec: {
                host: HOST,
                trafficPolicy: MUTUAL,
                subsets: versions.map((v) => ({ name: v, labels: { version: v }, trafficPolicy: MUTUAL })),
            },
        },
        {
            apiVersion,
            kind: "Gateway",
            metadata: { name: "gray-demo-gateway", namespace: NS },
            spec: {
                selector: { istio: "ingressgateway" },
                servers: [{ port: { number: 80, name: "http-80", protocol: "HTTP" }, hosts: ["*"] }],
            },
        },
        {
            apiVersion,
            kind: "VirtualService",
            metadata: { name: "gray-demo-vs", namespace: NS },
            spec: {
                hosts: ["*"],
                gateways: ["gray-demo-gateway"],
                http: [{
                    name: "http-5000",
                    route: [
                        { destination: { host: HOST, subset: "v1", port: { number: 5000 } }, weight: 80 },
                        { destination: { host: HOST, subset: "v2", port: { number: 5000 } }, weight: 20 },
                    ],
                }],
            },
        },
    ];
}

export function namespace(labels: Record<string, string> = { "istio-injection": "enabled" }): Manifest {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name: NS, labels } };
}

/**
 * The compliant dev release: each cluster has the namespace, the Service and Istio config; v1 runs in
 * cluster2, v2 in cluster1. No two places share an object, so a test changes exactly the field it names.
 */
export function devStack(apiVersion: IstioApiVersion = "networking.istio.io/v1"): Stack {
    return fresh({
        [C1]: [namespace(), service(), deployment("v2"), ...istioConfig(apiVersion)],
        [C2]: [namespace(), service(), deployment("v1"), ...istioConfig(apiVersion)],
    });
}

/** The one manifest of `kind` and `name` in a cluster (throws, failing the test, when it is missing). */
export function find(stack: Stack, cluster: string, kind: string, name: string): Manifest {
    const found = stack[cluster]?.find((m) => m.kind === kind && m.metadata["name"] === name);
    if (found === undefined) {
        throw new Error(`fixture has no ${kind} ${name} in ${cluster}`);
    }
    return found;
}

/** Sets (or with `undefined`, deletes) the value at `path` inside a manifest, creating objects on the way. */
export function set(manifest: Manifest, path: readonly (string | number)[], value: unknown): void {
    let current: Record<string | number, unknown> = manifest;
    path.slice(0, -1).forEach((key) => {
        const next = current[key];
        if (typeof next !== "object" || next === null) {
            current[key] = {};
        }
        current = current[key] as Record<string | number, unknown>;
    });
    const last = path[path.length - 1];
    if (last === undefined) {
        throw new Error("set() needs a path");
    }
    if (value === undefined) {
        delete current[last];
    } else {
        current[last] = value;
    }
}

/** The stack's manifests as the objects the rules read, one cluster per provider. */
export function toObjects(stack: Stack): K8sObject[] {
    return Object.entries(stack).flatMap(([cluster, manifests]) => manifests.map((body, i) => makeObject({
        cluster: { key: `urn:pulumi:dev::helloworld-grayscale::pulumi:providers:kubernetes::${cluster}`, name: cluster },
        ...parseApiVersion(body.apiVersion),
        kind: body.kind,
        body,
        source: `${cluster}#${i}`,
    })));
}

export function findings(rule: Rule, stack: Stack, settings: Record<string, PolicySettings> = {}): Finding[] {
    return evaluate([rule], toObjects(stack), settings);
}

/** The messages one rule reports for a stack. */
export function messages(rule: Rule, stack: Stack, settings: Record<string, PolicySettings> = {}): string[] {
    return findings(rule, stack, settings).map((f) => f.message);
}

/** A copy without shared objects (structuredClone would keep the aliasing the builders above create). */
export function fresh<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

/** A hygienic Deployment of someone else's software: pinned, with requests, limits and a non-root user. */
function bystanderDeployment(name: string, namespaceName: string, labels: Record<string, string>, image: string): Manifest {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: namespaceName, labels },
        spec: {
            selector: { matchLabels: labels },
            template: {
                metadata: { labels },
                spec: {
                    securityContext: { runAsNonRoot: true, runAsUser: 65532 },
                    containers: [{
                        name, image,
                        resources: { requests: { cpu: "100m", memory: "70Mi" }, limits: { cpu: "1", memory: "170Mi" } },
                    }],
                },
            },
        },
    };
}

/**
 * What a stack deploys beside the release and outside the mesh, as a cluster's add-ons come: kube-dns in
 * kube-system (ports named dns, dns-tcp and metrics, pods labelled k8s-app), cert-manager and
 * ingress-nginx in namespaces without injection labels. Each cluster's copy differs a little (another
 * distribution's DNS ports, a LoadBalancer here and a NodePort there), as real clusters do.
 */
export function bystanders(cluster: string): Manifest[] {
    const first = cluster === C1;
    const dnsPorts = [
        { name: "dns", port: 53, protocol: "UDP" },
        { name: "dns-tcp", port: 53, protocol: "TCP" },
        ...(first ? [{ name: "metrics", port: 9153, protocol: "TCP" }] : []),
    ];
    const certManager = { "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/instance": "cert-manager" };
    const ingress = { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" };
    return fresh([
        { apiVersion: "v1", kind: "Service", metadata: { name: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
            spec: { selector: { "k8s-app": "kube-dns" }, ports: dnsPorts } },
        bystanderDeployment("coredns", "kube-system", { "k8s-app": "kube-dns" }, "registry.k8s.io/coredns/coredns:v1.11.3"),
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "cert-manager" } },
        { apiVersion: "v1", kind: "Service", metadata: { name: "cert-manager-webhook", namespace: "cert-manager" },
            spec: { selector: certManager, ports: [{ name: "https", port: 443, targetPort: "https" }, { name: "webhook-metrics", port: 9402 }] } },
        bystanderDeployment("cert-manager-webhook", "cert-manager", certManager, "quay.io/jetstack/cert-manager-webhook:v1.16.2"),
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "ingress-nginx", labels: { "app.kubernetes.io/name": "ingress-nginx" } } },
        { apiVersion: "v1", kind: "Service", metadata: { name: "ingress-nginx-controller", namespace: "ingress-nginx" },
            spec: { type: first ? "LoadBalancer" : "NodePort", selector: ingress, ports: [
                { name: "http", port: 80, targetPort: "http", appProtocol: "http" },
                { name: "https", port: 443, targetPort: "https", appProtocol: "https" },
            ] } },
        bystanderDeployment("ingress-nginx-controller", "ingress-nginx", ingress, "registry.k8s.io/ingress-nginx/controller:v1.12.0"),
    ]);
}
