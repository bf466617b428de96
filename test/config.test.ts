import { describe, expect, it } from "vitest";
import { ConfigError, describeProblem, parseReleaseConfig } from "../config/index.ts";
import { devStackConfig } from "./support/dev-stack.ts";

/** The ConfigError a change to the dev stack produces (fails the test if none). */
function errorOf(change: (raw: Record<string, any>) => void, secretKeys: ReadonlySet<string> = new Set()): ConfigError {
    const raw = devStackConfig();
    change(raw);
    try {
        parseReleaseConfig(raw, secretKeys);
    } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return err as ConfigError;
    }
    throw new Error("expected the config to be rejected");
}

function problemsOf(change: (raw: Record<string, any>) => void): string {
    return errorOf(change).message;
}

/** "path: message" of every problem a change to the dev stack produces. */
function problemLines(change: (raw: Record<string, any>) => void, secretKeys?: ReadonlySet<string>): string[] {
    return errorOf(change, secretKeys).problems.map(describeProblem);
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

describe("parseReleaseConfig: every rule, with its key path and fix", () => {
    // One row per rule, each asserting the whole message a user reads.
    it.each<[string, (raw: Record<string, any>) => void, string[]]>([
    ["weights that do not add up to 100", (r) => { r.weights.v2 = 10; }, [
            "weights: v1 + v2 = 90; the weights must add up to exactly 100",
    ]],
    ["a fractional weight", (r) => { r.weights.v1 = 79.5; r.weights.v2 = 20.5; }, [
            "weights.v1: must be a whole number from 0 to 100 (got 79.5)",
            "weights.v2: must be a whole number from 0 to 100 (got 20.5)",
    ]],
    ["a negative weight", (r) => { r.weights.v1 = 120; r.weights.v2 = -20; }, [
            "weights.v1: must be a whole number from 0 to 100 (got 120)",
            "weights.v2: must be a whole number from 0 to 100 (got -20)",
    ]],
    ["a weight for an unknown version", (r) => { r.weights.v3 = 0; }, [
            "weights.v3: 'v3' is not a version of this stack; remove the weight or add versions.v3",
    ]],
    ["a version without a weight", (r) => { delete r.weights.v2; r.weights.v1 = 100; }, [
            "weights.v2: version 'v2' has no weight; set weights.v2 (0 keeps it deployed without traffic)",
    ]],
    ["a single weight that is not 100", (r) => { r.versions = { v1: r.versions.v1 }; r.weights = { v1: 90 }; }, [
            "weights: v1 = 90; the weights must add up to exactly 100",
    ]],
    ["a version on an unknown cluster", (r) => { r.versions.v2.clusters = ["mdemo-cluster9"]; }, [
            "versions.v2.clusters[0]: 'mdemo-cluster9' is not a cluster of this stack; use one of mdemo-cluster1, mdemo-cluster2",
    ]],
    ["a version on a config-only cluster", (r) => { r.clusters["mdemo-cluster1"].workloads = false; }, [
            "versions.v2.clusters[0]: 'mdemo-cluster1' is marked workloads: false (a config-only API server); place the version on a workload cluster",
    ]],
    ["a version listing a cluster twice", (r) => { r.versions.v2.clusters = ["mdemo-cluster1", "mdemo-cluster1"]; }, [
            "versions.v2.clusters: lists a cluster twice; list each cluster once",
    ]],
    ["no Istio config target", (r) => { r.clusters["mdemo-cluster1"].istioConfig = false; r.clusters["mdemo-cluster2"].istioConfig = false; }, [
            "clusters: no cluster is an Istio config target; set istioConfig: true on every primary (or on the config cluster)",
    ]],
    ["a cluster that neither runs workloads nor holds Istio config", (r) => { r.clusters["mdemo-cluster1"].workloads = false; r.clusters["mdemo-cluster1"].istioConfig = false; r.versions.v2.clusters = ["mdemo-cluster2"]; }, [
            "clusters.mdemo-cluster1: neither runs workloads nor holds Istio config; set istioConfig: true or remove the cluster",
    ]],
    ["no cluster at all", (r) => { r.clusters = {}; r.versions.v1.clusters = []; r.versions.v2.clusters = []; }, [
            "clusters: must name at least one cluster",
            "versions.v1.clusters: lists no cluster; place the version on a workload cluster, or set retired: true to take it offline",
            "versions.v2.clusters: lists no cluster; place the version on a workload cluster, or set retired: true to take it offline",
    ]],
    ["no version at all", (r) => { r.versions = {}; r.weights = {}; }, [
            "versions: must name at least one version",
    ]],
    ["a cluster with neither context nor kubeconfig", (r) => { delete r.clusters["mdemo-cluster2"].context; }, [
            "clusters.mdemo-cluster2: needs exactly one of 'context' or 'kubeconfig' (or 'renderYamlToDirectory'); set one of them",
    ]],
    ["a cluster with a context and a render directory", (r) => { r.clusters["mdemo-cluster2"].renderYamlToDirectory = "out/c2"; }, [
            "clusters.mdemo-cluster2: has 'context' and 'renderYamlToDirectory'; keep exactly one: to use 'renderYamlToDirectory', run pulumi config rm --path clusters.mdemo-cluster2.context",
    ]],
    ["an empty render directory", (r) => { delete r.clusters["mdemo-cluster2"].context; r.clusters["mdemo-cluster2"].renderYamlToDirectory = ""; }, [
            "clusters.mdemo-cluster2.renderYamlToDirectory: must name a directory (got \"\")",
    ]],
    ["a namespace that is not DNS-1123", (r) => { r.namespace = "Gray_Demo"; }, [
            "namespace: namespace name must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit (got \"Gray_Demo\")",
    ]],
    ["a cluster name that is not DNS-1123", (r) => { r.clusters.Cluster_3 = { context: "c3", istioConfig: true }; }, [
            "clusters.Cluster_3: cluster names must be DNS-1123 labels (lowercase letters, digits, '-'); rename the cluster",
    ]],
    ["a version name that is not DNS-1123", (r) => { r.versions.V3 = { clusters: ["mdemo-cluster1"], image: "r/x:1" }; r.weights.V3 = 0; }, [
            "versions.V3: version names must be DNS-1123 labels of at most 50 characters (they name Deployments); rename the version",
    ]],
    ["a Service port out of range", (r) => { r.service = { port: 70000 }; }, [
            "service.port: must be a port number from 1 to 65535 (got 70000)",
    ]],
    ["a gateway port of 0", (r) => { r.gateway = { port: 0 }; }, [
            "gateway.port: must be a port number from 1 to 65535 (got 0)",
    ]],
    ["a port name without a protocol prefix", (r) => { r.service = { portName: "web" }; }, [
            "service.portName: 'web' has no protocol prefix Istio recognises; name it like http-5000 (prefixes: http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis, udp, http_proxy)",
    ]],
    ["a port name Istio cannot split by HTTP route", (r) => { r.service = { portName: "tcp-5000" }; }, [
            "service.portName: 'tcp-5000' declares tcp, which an HTTP weighted route cannot split; use an http-, http2-, grpc- or grpc-web- name",
    ]],
    ["a retired version that still has weight", (r) => { r.versions.v1.retired = true; }, [
            "weights.v1: version 'v1' is retired but has weight 80; move its traffic first (weights.v1=0)",
    ]],
    ["a version with no cluster that is not retired", (r) => { r.versions.v2.clusters = []; }, [
            "versions.v2.clusters: lists no cluster; place the version on a workload cluster, or set retired: true to take it offline",
    ]],
    ["an unpinned image", (r) => { r.versions.v1.image = "istio/examples-helloworld-v1:latest"; }, [
            "versions.v1.image: 'istio/examples-helloworld-v1:latest' is not pinned; use an explicit tag other than 'latest', or a digest",
    ]],
    ["a version without an image", (r) => { r.versions.v3 = { clusters: ["mdemo-cluster1"] }; r.weights.v3 = 0; }, [
            "versions.v3.image: is required and missing; set it to a pinned image reference (a string) such as registry/name:tag",
    ]],
    ["a header match to an unknown version, in upper case", (r) => { r.routing = { matches: [{ version: "v3", headers: { "X-Canary": "always" } }] }; }, [
            "routing.matches[0].headers: 'X-Canary': header names must be lower-case tokens, such as x-canary (got {\"X-Canary\":\"always\"})",
    ]],
    ["a match to an unknown version", (r) => { r.routing = { matches: [{ version: "v3", headers: { "x-canary": "always" } }] }; }, [
            "routing.matches[0].version: 'v3' is not a version of this stack; use one of v1, v2",
    ]],
    ["a match with two cookies, and one with nothing to match", (r) => { r.routing = { matches: [{ version: "v2", cookie: { a: "1", b: "2" } }, { version: "v2" }] }; }, [
            "routing.matches[0].cookie: must name exactly one cookie; add a match per cookie (got {\"a\":\"1\",\"b\":\"2\"})",
            "routing.matches[1]: must match at least one header or a cookie (got {\"version\":\"v2\"})",
    ]],
    ["a mirror to a retired version", (r) => { r.versions.v1.retired = true; r.weights = { v1: 0, v2: 100 }; r.routing = { mirror: { version: "v1", percent: 10 } }; }, [
            "routing.mirror.version: 'v1' is retired: it has no pods to answer; use one of v2",
    ]],
    ["a sticky cookie shorter than a second", (r) => { r.routing = { sticky: { version: "v2", maxAge: "500ms" } }; }, [
            "routing.sticky.maxAge: must be at least 1s: a cookie's Max-Age counts whole seconds (got \"500ms\")",
    ]],
    ["a cluster's own weights that do not add up, and weights on a workload-only cluster", (r) => {
        r.clusters["mdemo-cluster1"].weights = { v1: 50, v2: 40 };
        r.clusters["mdemo-cluster2"].istioConfig = false;
        r.clusters["mdemo-cluster2"].weights = { v1: 0, v2: 100 };
    }, [
            "clusters.mdemo-cluster1.weights: v1 + v2 = 90; the weights must add up to exactly 100",
            "clusters.mdemo-cluster2.weights: is set on a cluster that holds no Istio config, where no VirtualService uses it; set istioConfig: true or remove the weights",
    ]],
    ["an app version pattern without a group", (r) => { r.app.versionPattern = "version: \\w+"; }, [
            "app.versionPattern: needs a capture group for the version, e.g. 'version: (\\w+)' (got \"version: \\\\w+\")",
    ]],
    ["no app", (r) => { delete r.app; }, [
            "app: is required and missing; set it to a map such as { name: checkout, port: 8080 }",
    ]],
    ["an app without a port, and a health path that is not a path", (r) => { r.app = { name: "checkout", healthPath: "healthz" }; }, [
            "app.port: is required and missing; must be a port number from 1 to 65535",
            "app.healthPath: must be an absolute HTTP path without query, such as /healthz (got \"healthz\")",
    ]],
    ["an app whose name, the default namespace, is reserved", (r) => { r.app.name = "default"; delete r.namespace; }, [
            "app.name: 'default' is not the release's namespace to take: it is where every object that names no namespace lands; set namespace to one of its own",
    ]],
    ["a misspelt key", (r) => { r.versions.v1.replica = 2; }, [
            "versions.v1: unknown key 'replica'; did you mean replicas?",
    ]],
    ["a misspelt top-level key", (r) => { r.weight = r.weights; }, [
            "helloworld-grayscale:weight: unknown key; did you mean helloworld-grayscale:weights?",
    ]],
    ["an unknown peerAuthentication mode", (r) => { r.peerAuthentication = "DISABLE"; }, [
            "peerAuthentication: must be STRICT, PERMISSIVE or none (got \"DISABLE\")",
    ]],
    ["an unknown Istio API version", (r) => { r.istioApiVersion = "networking.istio.io/v2"; }, [
            "istioApiVersion: must be one of networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3 (got \"networking.istio.io/v2\")",
    ]],
    ["a required key of the wrong shape", (r) => { r.clusters = ["mdemo-cluster1"]; }, [
            "clusters: must be a map of cluster name to { context | kubeconfig } (got [\"mdemo-cluster1\"])",
    ]],
    ["a missing required key", (r) => { delete r.weights; }, [
            "weights: is required and missing; set it to a map of version name to weight, e.g. { v1: 80, v2: 20 }",
    ]],
    ["a reserved namespace", (r) => { r.namespace = "kube-system"; }, [
            "namespace: 'kube-system' is not the release's namespace to take: it holds the cluster's own components; set namespace to one of its own",
    ]],
    ["Istio's root namespace", (r) => { r.namespace = "istio-system"; }, [
            "namespace: 'istio-system' is not the release's namespace to take: it is Istio's root namespace: the release's PeerAuthentication would apply to the whole mesh; set namespace to one of its own",
    ]],
    ["the default namespace", (r) => { r.namespace = "default"; }, [
            "namespace: 'default' is not the release's namespace to take: it is where every object that names no namespace lands; set namespace to one of its own",
    ]],
    ["replicas beyond the bound", (r) => { r.versions.v1.replicas = 2147483648; }, [
            "versions.v1.replicas: must be a whole number from 1 to 1000 (pods per cluster) (got 2147483648)",
    ]],
    ["a CPU limit below its request", (r) => { r.versions.v1.resources = { requests: { cpu: "500m", memory: "128Mi" }, limits: { cpu: "250m", memory: "128Mi" } }; }, [
            "versions.v1.resources.limits.cpu: 250m is below the request of 500m, which Kubernetes rejects; raise the limit or lower the request",
    ]],
    ["a memory limit below its request", (r) => { r.versions.v1.resources = { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "512Mi" } }; }, [
            "versions.v1.resources.limits.memory: 512Mi is below the request of 1Gi, which Kubernetes rejects; raise the limit or lower the request",
    ]],
    ["a port name that is not an IANA service name", (r) => { r.service = { portName: "http-" }; }, [
            "service.portName: 'http-' is not a valid port name: Kubernetes wants at most 15 lower-case letters, digits and '-', with at least one letter and no '-' at either end or twice in a row (e.g. http-5000)",
    ]],
    ["an upper-case port name", (r) => { r.service = { portName: "HTTP-5000" }; }, [
            "service.portName: 'HTTP-5000' is not a valid port name: Kubernetes wants at most 15 lower-case letters, digits and '-', with at least one letter and no '-' at either end or twice in a row (e.g. http-5000)",
    ]],
    ["an empty Gateway host", (r) => { r.gateway = { hosts: [""] }; }, [
            "gateway.hosts[0]: is empty; write [namespace/]host with a fully qualified host, e.g. \"*\", hello.example.com or \"*.example.com\"",
    ]],
    ["a short Gateway host", (r) => { r.gateway = { hosts: ["helloworld"] }; }, [
            "gateway.hosts[0]: 'helloworld' is a short name, which Istio does not accept as a Gateway host; write [namespace/]host with a fully qualified host, e.g. \"*\", hello.example.com or \"*.example.com\"",
    ]],
    ["a partial wildcard Gateway host", (r) => { r.gateway = { hosts: ["*hello.example.com"] }; }, [
            "gateway.hosts[0]: '*hello.example.com' has a partial wildcard (only a whole first label may be *); write [namespace/]host with a fully qualified host, e.g. \"*\", hello.example.com or \"*.example.com\"",
    ]],
    ["an image that is not a reference", (r) => { r.versions.v1.image = "Registry/App:1.0"; }, [
            "versions.v1.image: 'Registry/App:1.0' is not an image reference; write [registry/]name:tag or [registry/]name@sha256:<64 hex digits>, in lower case",
    ]],
    ["a digest that is not one", (r) => { r.versions.v1.image = "app@sha256:latest"; }, [
            "versions.v1.image: 'app@sha256:latest' is not an image reference; write [registry/]name:tag or [registry/]name@sha256:<64 hex digits>, in lower case",
    ]],
    ["injection given as a revision name", (r) => { r.injection = "canary"; }, [
            "injection: must be a map: to inject with Istio revision 'canary', write injection: { revision: canary } (got \"canary\")",
    ]],
    ["a selector value that is a number", (r) => { r.gateway = { selector: { istio: 1 } }; }, [
            "gateway.selector.istio: must be a label value, which is a string: quote it, as \"1\" (got 1)",
    ]],
    ["an empty selector", (r) => { r.gateway = { selector: {} }; }, [
            "gateway.selector: must select the ingress gateway's pods, e.g. { istio: ingressgateway }",
    ]],
    ["a version given as a list", (r) => { r.versions.v1 = ["mdemo-cluster2"]; }, [
            "versions.v1: must be a map such as { clusters: [mdemo-cluster1], replicas: 1 } (got [\"mdemo-cluster2\"])",
    ]],
    ["a quantity that is not one", (r) => { r.versions.v1.resources = { requests: { cpu: "half", memory: "128Mi" }, limits: { cpu: "1", memory: "128Mi" } }; }, [
            "versions.v1.resources.requests.cpu: must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi (got \"half\")",
    ]],
    ["a protectNamespace that is not a boolean", (r) => { r.protectNamespace = "no"; }, [
            "protectNamespace: must be true or false (got \"no\")",
    ]],
    ])("%s", (_title, change, expected) => {
        expect(problemLines(change)).toEqual(expected);
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

describe("parseReleaseConfig: secrets", () => {
    it("rejects a secret where Kubernetes and Istio need plaintext", () => {
        // As the program sees it: the engine decrypted the host and says only that `gateway` holds a secret.
        expect(problemLines((r) => { r.gateway = { hosts: ["hello.example.com"] }; }, new Set(["gateway"]))).toEqual([
            "gateway: holds a secret (secure:) value, but Kubernetes and Istio must read it in plaintext (render would write \"[secret]\" in its place); set that value again without --secret",
        ]);
    });

    it("accepts a kubeconfig held as a secret", () => {
        const raw = devStackConfig();
        delete raw.clusters["mdemo-cluster1"].context;
        raw.clusters["mdemo-cluster1"].kubeconfig = "[secret]";
        expect(parseReleaseConfig(raw, new Set(["clusters"])).clusters[0]?.kubeconfig).toBe("[secret]");
    });

    it("says which `pulumi config rm --path` to run when a kubeconfig is set where a context was", () => {
        const change = (r: Record<string, any>) => { r.clusters["mdemo-cluster1"].kubeconfig = "[secret]"; };
        expect(problemLines(change, new Set(["clusters"]))).toEqual([
            "clusters.mdemo-cluster1: has 'context' and 'kubeconfig'; keep exactly one: to use 'kubeconfig', run pulumi config rm --path clusters.mdemo-cluster1.context",
        ]);
    });

    it("rejects a kubeconfig in plaintext", () => {
        expect(problemLines((r) => { delete r.clusters["mdemo-cluster1"].context; r.clusters["mdemo-cluster1"].kubeconfig = "apiVersion: v1"; })).toEqual([
            "clusters.mdemo-cluster1.kubeconfig: is in plaintext, but a kubeconfig holds credentials; store it as a secret: pulumi config set --path --secret clusters.mdemo-cluster1.kubeconfig \"$(cat <kubeconfig file>)\"",
        ]);
    });
});
