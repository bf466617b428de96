import { describe, expect, it } from "vitest";
import { parseReleaseConfig, type ReleaseConfig } from "../../config/index.ts";
import { deploymentManifest } from "../../manifests/deployment.ts";
import { destinationRuleManifest } from "../../manifests/destination-rule.ts";
import { gatewayManifest } from "../../manifests/gateway.ts";
import { deployedVersions, routedVersions, trafficSplit } from "../../manifests/labels.ts";
import { namespaceManifest } from "../../manifests/namespace.ts";
import { peerAuthenticationManifest } from "../../manifests/peer-authentication.ts";
import { serviceManifest } from "../../manifests/service.ts";
import { virtualServiceManifests } from "../../manifests/virtual-service.ts";
import { devStackConfig } from "../support/dev-stack.ts";

function configWith(change: (raw: Record<string, any>) => void = () => {}): ReleaseConfig {
    const raw = devStackConfig();
    change(raw);
    return parseReleaseConfig(raw);
}

function version(config: ReleaseConfig, name: string) {
    const found = config.versions.find((v) => v.name === name);
    if (found === undefined) {
        throw new Error(`no version ${name}`);
    }
    return found;
}

describe("namespaceManifest", () => {
    it.each<[string | null, Record<string, string>]>([
        [null, { "istio-injection": "enabled" }],
        ["1-30-3", { "istio.io/rev": "1-30-3" }],
    ])("with revision %s carries exactly the labels %j", (revision, labels) => {
        const config = configWith((r) => { r.injection = { revision }; });
        expect(namespaceManifest(config)).toEqual({ apiVersion: "v1", kind: "Namespace", metadata: { name: "gray-demo", labels } });
    });
});

describe.each(["v1", "v2"])("deploymentManifest(%s)", (name) => {
    const config = configWith();
    const deployment = deploymentManifest(config, version(config, name));
    // The spec's type allows Outputs (it is @pulumi/kubernetes's input type); here it is plain JSON.
    const spec = deployment.spec as any;
    const pod = spec.template.spec;
    const container = pod.containers[0];

    it("labels pods app/version and selects on both", () => {
        expect(deployment.metadata).toMatchObject({ name: `helloworld-${name}`, namespace: "gray-demo" });
        expect(deployment.spec.selector).toEqual({ matchLabels: { app: "helloworld", version: name } });
        expect(spec.template.metadata.labels).toEqual({ app: "helloworld", version: name });
    });

    it("runs the pinned sample image on port 5000", () => {
        expect(container.image).toBe(`docker.m.daocloud.io/istio/examples-helloworld-${name}:1.0`);
        expect(container.ports).toEqual([{ name: "http", containerPort: 5000, protocol: "TCP" }]);
    });

    it("tells the sample its version through SERVICE_VERSION, the value of the pod's version label", () => {
        expect(container.env).toEqual([{ name: "SERVICE_VERSION", value: name }]);
        expect(container.env[0].value).toBe(spec.template.metadata.labels.version);
    });

    it.each(["readinessProbe", "livenessProbe"])("probes /health on 5000 (%s)", (probe) => {
        expect(container[probe].httpGet).toEqual({ path: "/health", port: 5000 });
    });

    it("sets requests and limits for CPU and memory", () => {
        expect(container.resources).toEqual({
            requests: { cpu: "100m", memory: "128Mi" },
            limits: { cpu: "1", memory: "256Mi" },
        });
    });

    it("runs non-root, without privilege escalation, on a read-only root with a writable /tmp", () => {
        expect(container.securityContext).toMatchObject({
            runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] },
        });
        expect(container.volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
        expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: {} }]);
        // Pod-level runAsNonRoot would also bind Istio's root init container.
        expect(pod.securityContext).toEqual({ seccompProfile: { type: "RuntimeDefault" } });
    });
});

describe("deploymentManifest overrides", () => {
    it("takes replicas, image and resources from config", () => {
        const config = configWith((r) => {
            r.versions.v1 = {
                clusters: ["mdemo-cluster2"], replicas: 3, image: "registry.local/hello:2.1",
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "128Mi" } },
            };
        });
        const deployment = deploymentManifest(config, version(config, "v1"));
        const container = (deployment.spec as any).template.spec.containers[0];
        expect(deployment.spec.replicas).toBe(3);
        expect(container.image).toBe("registry.local/hello:2.1");
        expect(container.resources.limits).toEqual({ cpu: "500m", memory: "128Mi" });
    });
});

describe("a version that runs another version's image", () => {
    it("still reports its own name, as its pods are labelled", () => {
        const config = configWith((r) => {
            r.versions.v3 = { clusters: ["mdemo-cluster1"], image: "docker.m.daocloud.io/istio/examples-helloworld-v1:1.0" };
            r.weights = { v1: 80, v2: 10, v3: 10 };
        });
        const deployment = deploymentManifest(config, version(config, "v3"));
        const container = (deployment.spec as any).template.spec.containers[0];
        expect(container.image).toBe("docker.m.daocloud.io/istio/examples-helloworld-v1:1.0");
        expect(container.env).toEqual([{ name: "SERVICE_VERSION", value: "v3" }]);
        expect((deployment.spec as any).template.metadata.labels).toEqual({ app: "helloworld", version: "v3" });
    });
});

describe("non-default Service and Gateway settings reach every object that names them", () => {
    const config = configWith((r) => {
        r.service = { name: "greeter", port: 8080, portName: "http-web" };
        r.gateway = { name: "shop-gateway", port: 8443, hosts: ["shop.example.com", "www.shop.example.com"] };
        r.virtualService = { name: "shop-routes" };
    });

    it("Service: its name, port and port name; the pods' port stays the container's", () => {
        const service = serviceManifest(config);
        expect(service.metadata.name).toBe("greeter");
        expect(service.spec.ports).toEqual([{ name: "http-web", port: 8080, targetPort: 5000, protocol: "TCP" }]);
    });

    it("Gateway: its name, port (number and port name) and hosts", () => {
        const gateway = gatewayManifest(config);
        expect(gateway.metadata).toEqual({ name: "shop-gateway", namespace: "gray-demo", annotations: { "pulumi.com/patchForce": "true" } });
        expect(gateway.spec.servers).toEqual([{
            port: { number: 8443, name: "http-8443", protocol: "HTTP" },
            hosts: ["shop.example.com", "www.shop.example.com"],
        }]);
    });

    it("VirtualService: the Gateway's name and hosts, the route's name from the port name, the Service's host and port", () => {
        const [vs] = virtualServiceManifests(config, {});
        if (vs === undefined) {
            throw new Error("no VirtualService");
        }
        expect(vs.metadata).toEqual({ name: "shop-routes", namespace: "gray-demo", annotations: { "pulumi.com/patchForce": "true" } });
        expect(vs.spec.gateways).toEqual(["shop-gateway"]);
        expect(vs.spec.hosts).toEqual(["shop.example.com", "www.shop.example.com"]);
        expect(vs.spec.http?.[0]?.name).toBe("http-web");
        expect(vs.spec.http?.[0]?.route?.map((r) => r.destination)).toEqual([
            { host: "greeter.gray-demo.svc.cluster.local", subset: "v1", port: { number: 8080 } },
            { host: "greeter.gray-demo.svc.cluster.local", subset: "v2", port: { number: 8080 } },
        ]);
    });

    it("DestinationRule: the Service's host", () => {
        expect(destinationRuleManifest(config).spec.host).toBe("greeter.gray-demo.svc.cluster.local");
    });
});

describe("serviceManifest", () => {
    it("selects app only, so one host reaches every version", () => {
        const service = serviceManifest(configWith());
        expect(service.spec.selector).toEqual({ app: "helloworld" });
        expect(service.spec.ports).toEqual([{ name: "http-5000", port: 5000, targetPort: 5000, protocol: "TCP" }]);
    });
});

describe("destinationRuleManifest", () => {
    const dr = destinationRuleManifest(configWith());

    it("uses ISTIO_MUTUAL at the top level", () => {
        expect(dr.spec.trafficPolicy).toEqual({ tls: { mode: "ISTIO_MUTUAL" } });
    });

    it.each(["v1", "v2"])("defines subset %s selecting its version label, with ISTIO_MUTUAL", (name) => {
        expect((dr.spec.subsets as any[]).find((s) => s.name === name)).toEqual({
            name, labels: { version: name }, trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } },
        });
    });

    it("targets the Service's FQDN", () => {
        expect(dr.spec.host).toBe("helloworld.gray-demo.svc.cluster.local");
        expect(dr.apiVersion).toBe("networking.istio.io/v1");
    });

    it("keeps the subset of a version at weight 0 and drops a retired one", () => {
        const names = (c: ReleaseConfig) => (destinationRuleManifest(c).spec.subsets as any[]).map((s) => s.name);
        expect(names(configWith((r) => { r.weights = { v1: 0, v2: 100 }; }))).toEqual(["v1", "v2"]);
        expect(names(configWith((r) => { r.weights = { v1: 0, v2: 100 }; r.versions.v1.retired = true; }))).toEqual(["v2"]);
    });
});

describe("gatewayManifest", () => {
    it("listens on port 80 HTTP on the ingress gateway for the configured hosts", () => {
        expect(gatewayManifest(configWith()).spec).toEqual({
            selector: { istio: "ingressgateway" },
            servers: [{ port: { number: 80, name: "http-80", protocol: "HTTP" }, hosts: ["*"] }],
        });
    });
});

describe("virtualServiceManifests", () => {
    /** The gateway's and the mesh's VirtualService for the dev stack changed by `change`, in one config cluster. */
    const manifestsOf = (change: (raw: Record<string, any>) => void = () => {}, cluster: { weights?: Record<string, number> } = {}) =>
        virtualServiceManifests(configWith(change), cluster);
    const httpOf = (change: (raw: Record<string, any>) => void = () => {}) => manifestsOf(change)[0]?.spec.http as any[];
    const weightsOf = (http: any[]) => http.at(-1).route.map((r: any) => [r.destination.subset, r.weight]);

    it.each<[Record<string, number>, [string, number][]]>([
        [{ v1: 80, v2: 20 }, [["v1", 80], ["v2", 20]]],
        [{ v1: 50, v2: 50 }, [["v1", 50], ["v2", 50]]],
        [{ v1: 1, v2: 99 }, [["v1", 1], ["v2", 99]]],
        [{ v1: 0, v2: 100 }, [["v2", 100]]],
        [{ v1: 100, v2: 0 }, [["v1", 100]]],
    ])("routes weights %j as %j", (weights, routes) => {
        expect(weightsOf(httpOf((r) => { r.weights = weights; }))).toEqual(routes);
    });

    it("binds one to the gateway with route http-5000 to the Service's FQDN and port", () => {
        const [vs] = manifestsOf();
        expect(vs?.metadata).toEqual({ name: "gray-demo-vs", namespace: "gray-demo", annotations: { "pulumi.com/patchForce": "true" } });
        expect(vs?.spec.gateways).toEqual(["gray-demo-gateway"]);
        expect(vs?.spec.hosts).toEqual(["*"]);
        const route = (vs?.spec.http as any[])[0];
        expect(route.name).toBe("http-5000");
        expect(route.route[0].destination).toEqual({
            host: "helloworld.gray-demo.svc.cluster.local", subset: "v1", port: { number: 5000 },
        });
    });

    it("binds a second to the mesh, by the Service's host (Istio refuses * there), with the same routes", () => {
        const [forGateway, forMesh] = manifestsOf();
        expect(forMesh?.metadata.name).toBe("gray-demo-vs-mesh");
        expect([forMesh?.spec.hosts, forMesh?.spec.gateways]).toEqual([["helloworld.gray-demo.svc.cluster.local"], ["mesh"]]);
        expect(forMesh?.spec.http).toEqual(forGateway?.spec.http);
    });

    it("leaves mesh callers alone with routing.mesh false", () => {
        expect(manifestsOf((r) => { r.routing = { mesh: false }; }).map((vs) => vs.metadata.name)).toEqual(["gray-demo-vs"]);
    });

    it("puts header and cookie matches first, in order, each to its version", () => {
        const http = httpOf((r) => {
            r.routing = { matches: [{ version: "v2", headers: { "x-canary": "always" } }, { version: "v2", cookie: { user: "tester" } }] };
        });
        expect(http.map((route) => route.name)).toEqual(["match-0-v2", "match-1-v2", "http-5000"]);
        expect(http[0].match).toEqual([{ headers: { "x-canary": { exact: "always" } } }]);
        expect(http[1].match).toEqual([{ headers: { cookie: { regex: "^(.*?;\\s*)?user=tester(;.*)?$" } } }]);
        expect(http[1].route).toEqual([{ destination: { host: "helloworld.gray-demo.svc.cluster.local", subset: "v2", port: { number: 5000 } } }]);
    });

    it("mirrors a percentage of the weighted route only", () => {
        const http = httpOf((r) => { r.routing = { mirror: { version: "v2", percent: 10 } }; });
        expect(http).toHaveLength(1);
        expect([http[0].mirror, http[0].mirrorPercentage]).toEqual([
            { host: "helloworld.gray-demo.svc.cluster.local", subset: "v2", port: { number: 5000 } }, { value: 10 },
        ]);
    });

    it("keeps sticky users: the sticky version's weighted destination sets the cookie, a route ahead of the split matches it", () => {
        const http = httpOf((r) => { r.routing = { sticky: { version: "v2", maxAge: "1h" } }; });
        expect(http.map((route) => route.name)).toEqual(["sticky-v2", "http-5000"]);
        expect(http[0].match).toEqual([{ headers: { cookie: { regex: "^(.*?;\\s*)?helloworld-version=v2(;.*)?$" } } }]);
        expect(http[1].route.map((r: any) => r.headers)).toEqual([
            undefined, { response: { add: { "set-cookie": "helloworld-version=v2; Max-Age=3600; Path=/" } } },
        ]);
    });

    it("escapes a cookie's regex metacharacters", () => {
        const http = httpOf((r) => { r.routing = { matches: [{ version: "v1", cookie: { "a.b": "c+d" } }] }; });
        expect(http[0].match[0].headers.cookie.regex).toBe("^(.*?;\\s*)?a\\.b=c\\+d(;.*)?$");
    });

    it("uses a config cluster's own weights (a wave) in place of the release's", () => {
        const [vs] = manifestsOf(() => {}, { weights: { v1: 50, v2: 50 } });
        expect(weightsOf(vs?.spec.http as any[])).toEqual([["v1", 50], ["v2", 50]]);
    });
});

describe("peerAuthenticationManifest", () => {
    it.each([["STRICT"], ["PERMISSIVE"]])("sets mode %s namespace-wide", (mode) => {
        expect(peerAuthenticationManifest(configWith((r) => { r.peerAuthentication = mode; }))).toEqual({
            apiVersion: "security.istio.io/v1", kind: "PeerAuthentication",
            metadata: { name: "default", namespace: "gray-demo", annotations: { "pulumi.com/patchForce": "true" } }, spec: { mtls: { mode } },
        });
    });

    it("is left out with peerAuthentication: none", () => {
        expect(peerAuthenticationManifest(configWith((r) => { r.peerAuthentication = "none"; }))).toBeUndefined();
    });
});

describe("version sets", () => {
    it.each<[string, (r: Record<string, any>) => void, string[], string[], Record<string, number>]>([
        ["dev", () => {}, ["v1", "v2"], ["v1", "v2"], { v1: 80, v2: 20 }],
        ["v1 drained", (r) => { r.weights = { v1: 0, v2: 100 }; }, ["v1", "v2"], ["v2"], { v2: 100 }],
        ["v1 retired", (r) => { r.weights = { v1: 0, v2: 100 }; r.versions.v1.retired = true; }, ["v2"], ["v2"], { v2: 100 }],
    ])("%s: deployed %j, routed %j, split %j", (_name, change, deployed, routed, split) => {
        const config = configWith(change);
        expect(deployedVersions(config).map((v) => v.name)).toEqual(deployed);
        expect(routedVersions(config).map((v) => v.name)).toEqual(routed);
        expect(trafficSplit(config)).toEqual(split);
    });
});
