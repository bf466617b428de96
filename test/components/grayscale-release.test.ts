import { describe, expect, it } from "vitest";
import { GrayscaleRelease } from "../../components/grayscale-release.ts";
import { planRelease } from "../../manifests/plan.ts";
import { releaseArgsFromConfig } from "../../program.ts";
import { parseReleaseConfig } from "../../config/index.ts";
import { devStackConfig } from "../support/dev-stack.ts";
import { canonicalJson } from "../../policy/lib/values.ts";
import { promiseOf, registerRelease, type RegisteredResource } from "../support/register-release.ts";
import { allRegistered, recordRegistrations } from "../support/recording-monitor.ts";
import { DEV_STACK_URNS, resourceGraph } from "../support/resource-graph.ts";

const PROVIDER_TYPE = "pulumi:providers:kubernetes";
/** How Pulumi's wire format marks a secret value (sdk/nodejs/runtime/rpc.ts, specialSigKey / specialSecretSig). */
const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

function kubernetesObjects(resources: RegisteredResource[]): RegisteredResource[] {
    return resources.filter((r) => r.type.startsWith("kubernetes:"));
}

/** "Kind/name" per provider name, as registered. */
function placementByProvider(resources: RegisteredResource[]): Record<string, string[]> {
    const placement: Record<string, string[]> = {};
    for (const r of kubernetesObjects(resources)) {
        const inputs = r.inputs as { kind: string; metadata: { name: string } };
        (placement[r.providerName ?? "(default provider)"] ??= []).push(`${inputs.kind}/${inputs.metadata.name}`);
    }
    for (const objects of Object.values(placement)) {
        objects.sort();
    }
    return placement;
}

/** Registered inputs by "type name", to compare two registrations of the program. */
function inputsByUrnPart(resources: RegisteredResource[]): Map<string, string> {
    return new Map(resources.map((r) => [`${r.type} ${r.name}`, canonicalJson(r.inputs)]));
}

describe("GrayscaleRelease on the dev stack", () => {
    it("creates one provider per cluster, from its context", async () => {
        const { resources } = await registerRelease(devStackConfig());
        const providers = resources.filter((r) => r.type === PROVIDER_TYPE);
        expect(providers.map((p) => [p.name, p.inputs.context])).toEqual([
            ["helloworld-mdemo-cluster1", "mdemo-cluster1"],
            ["helloworld-mdemo-cluster2", "mdemo-cluster2"],
        ]);
    });

    it("places every object through its cluster's provider, never a default one", async () => {
        const { resources } = await registerRelease(devStackConfig());
        const istio = ["DestinationRule/helloworld", "Gateway/gray-demo-gateway", "PeerAuthentication/default", "VirtualService/gray-demo-vs", "VirtualService/gray-demo-vs-mesh"];
        expect(placementByProvider(resources)).toEqual({
            "helloworld-mdemo-cluster1": ["Deployment/helloworld-v2", ...istio, "Namespace/gray-demo", "Service/helloworld"].sort(),
            "helloworld-mdemo-cluster2": ["Deployment/helloworld-v1", ...istio, "Namespace/gray-demo", "Service/helloworld"].sort(),
        });
    });

    it("registers exactly the objects of the plan that `npm run render` writes", async () => {
        const raw = devStackConfig();
        const { resources } = await registerRelease(raw);
        const planned = planRelease(parseReleaseConfig(raw)).flatMap((p) => p.manifests.map(canonicalJson));
        const registered = kubernetesObjects(resources).map((r) => canonicalJson(r.inputs));
        expect(registered.sort()).toEqual(planned.sort());
    });

    it("registers Istio objects as custom resources of the configured API version", async () => {
        const raw = devStackConfig();
        raw.istioApiVersion = "networking.istio.io/v1beta1";
        const { resources } = await registerRelease(raw);
        const types = [...new Set(kubernetesObjects(resources).map((r) => r.type))].sort();
        expect(types).toEqual([
            "kubernetes:apps/v1:Deployment",
            "kubernetes:core/v1:Namespace",
            "kubernetes:core/v1:Service",
            "kubernetes:networking.istio.io/v1beta1:DestinationRule",
            "kubernetes:networking.istio.io/v1beta1:Gateway",
            "kubernetes:networking.istio.io/v1beta1:VirtualService",
            "kubernetes:security.istio.io/v1beta1:PeerAuthentication",
        ]);
    });

    it("protects the namespace (and nothing else) by default, and not when protectNamespace is false", async () => {
        const protectedOf = (rs: RegisteredResource[]) => kubernetesObjects(rs).filter((r) => r.protect).map((r) => r.name).sort();
        expect(protectedOf((await registerRelease(devStackConfig())).resources)).toEqual([
            "helloworld-mdemo-cluster1-gray-demo", "helloworld-mdemo-cluster2-gray-demo",
        ]);
        const raw = devStackConfig();
        raw.protectNamespace = false;
        expect(protectedOf((await registerRelease(raw)).resources)).toEqual([]);
    });

    it("exports placement, split and the path to check", async () => {
        const { release } = await registerRelease(devStackConfig());
        expect(release.split).toEqual({ v1: 80, v2: 20 });
        expect(release.checkPath).toBe("/hello");
        expect(release.placement["mdemo-cluster2"]).toContain("Deployment/helloworld-v1");
        expect(release.placement["mdemo-cluster1"]).not.toContain("Deployment/helloworld-v1");
    });
});

describe("hosted mesh: a config-only cluster", () => {
    it("gets the namespace and Istio objects only, and workloads go to the workload clusters", async () => {
        const raw = devStackConfig();
        raw.clusters = {
            "control-plane": { context: "cp", istioConfig: true, workloads: false },
            "mdemo-cluster1": { context: "mdemo-cluster1" },
            "mdemo-cluster2": { context: "mdemo-cluster2" },
        };
        const placement = placementByProvider((await registerRelease(raw)).resources);
        expect(placement["helloworld-control-plane"]).toEqual([
            "DestinationRule/helloworld", "Gateway/gray-demo-gateway", "Namespace/gray-demo", "PeerAuthentication/default", "VirtualService/gray-demo-vs",
            "VirtualService/gray-demo-vs-mesh",
        ]);
        expect(placement["helloworld-mdemo-cluster1"]).toEqual(["Deployment/helloworld-v2", "Namespace/gray-demo", "Service/helloworld"]);
        expect(placement["helloworld-mdemo-cluster2"]).toEqual(["Deployment/helloworld-v1", "Namespace/gray-demo", "Service/helloworld"]);
    });

    it("gives every workload cluster the same Service, even one that runs no version", async () => {
        const raw = devStackConfig();
        raw.clusters["mdemo-cluster3"] = { context: "mdemo-cluster3" };
        const services = kubernetesObjects((await registerRelease(raw)).resources)
            .filter((r) => r.type === "kubernetes:core/v1:Service");
        expect(services.map((s) => s.providerName)).toEqual([
            "helloworld-mdemo-cluster1", "helloworld-mdemo-cluster2", "helloworld-mdemo-cluster3",
        ]);
        expect(new Set(services.map((s) => JSON.stringify(s.inputs))).size).toBe(1);
    });
});

describe("kubeconfig credentials", () => {
    it("pass to the provider as a secret", async () => {
        const raw = devStackConfig();
        raw.clusters["mdemo-cluster1"] = { kubeconfig: "apiVersion: v1\nkind: Config\n", istioConfig: true };
        const { release, resources } = await registerRelease(raw, new Set(["clusters"]));
        const provider = resources.find((r) => r.name === "helloworld-mdemo-cluster1" && r.type === PROVIDER_TYPE);
        // The engine receives a secret as a value tagged with Pulumi's secret signature.
        expect(provider?.inputs.kubeconfig).toEqual({
            [SECRET_SIGNATURE_KEY]: SECRET_SIGNATURE, value: "apiVersion: v1\nkind: Config\n",
        });
        expect(provider?.inputs.context).toBeUndefined();
        const outputs = JSON.stringify([release.placement, release.split, release.checkPath]);
        expect(outputs).not.toContain("kind: Config");
    });
});

describe("render mode", () => {
    it("hands renderYamlToDirectory to the provider in place of credentials", async () => {
        const raw = devStackConfig();
        raw.clusters["mdemo-cluster1"] = { renderYamlToDirectory: "out/mdemo-cluster1", istioConfig: true };
        const { resources } = await registerRelease(raw);
        const provider = resources.find((r) => r.name === "helloworld-mdemo-cluster1" && r.type === PROVIDER_TYPE);
        // The provider rejects a context or kubeconfig beside renderYamlToDirectory.
        expect(provider?.inputs).toMatchObject({ renderYamlToDirectory: "out/mdemo-cluster1" });
        expect(provider?.inputs.context).toBeUndefined();
        expect(provider?.inputs.kubeconfig).toBeUndefined();
    });
});

describe("changing only the weights", () => {
    it.each<[string, Record<string, number>]>([
        ["80/20 -> 50/50", { v1: 50, v2: 50 }],
        ["80/20 -> 0/100", { v1: 0, v2: 100 }],
        ["80/20 -> 100/0", { v1: 100, v2: 0 }],
    ])("%s changes only the VirtualServices", async (_name, weights) => {
        const before = inputsByUrnPart((await registerRelease(devStackConfig())).resources);
        const raw = devStackConfig();
        raw.weights = weights;
        const after = inputsByUrnPart((await registerRelease(raw)).resources);

        expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
        const changed = [...after.keys()].filter((key) => after.get(key) !== before.get(key)).sort();
        expect(changed).toEqual([
            "kubernetes:networking.istio.io/v1:VirtualService helloworld-mdemo-cluster1-gray-demo-vs",
            "kubernetes:networking.istio.io/v1:VirtualService helloworld-mdemo-cluster1-gray-demo-vs-mesh",
            "kubernetes:networking.istio.io/v1:VirtualService helloworld-mdemo-cluster2-gray-demo-vs",
            "kubernetes:networking.istio.io/v1:VirtualService helloworld-mdemo-cluster2-gray-demo-vs-mesh",
        ]);
    });
});

describe("taking v1 offline", () => {
    it("removes its Deployment and subset, keeps the Services and namespaces", async () => {
        const drained = devStackConfig();
        drained.weights = { v1: 0, v2: 100 };
        const before = (await registerRelease(drained)).resources;
        const retired = devStackConfig();
        retired.weights = { v1: 0, v2: 100 };
        retired.versions.v1.retired = true;
        const after = (await registerRelease(retired)).resources;

        const names = (rs: RegisteredResource[]) => new Set(rs.map((r) => `${r.type} ${r.name}`));
        const removed = [...names(before)].filter((n) => !names(after).has(n));
        expect(removed).toEqual(["kubernetes:apps/v1:Deployment helloworld-mdemo-cluster2-helloworld-v1"]);

        const drSubsets = after.filter((r) => r.type.endsWith(":DestinationRule"))
            .map((r) => (r.inputs.spec as { subsets: { name: string }[] }).subsets.map((s) => s.name));
        expect(drSubsets).toEqual([["v2"], ["v2"]]);
        const kept = after.filter((r) => r.type === "kubernetes:core/v1:Service" || r.type === "kubernetes:core/v1:Namespace");
        expect(kept).toHaveLength(4);
    });
});

describe("invalid args", () => {
    it("register nothing of the component's (the providers are the caller's)", async () => {
        const registrations = await recordRegistrations();
        const args = releaseArgsFromConfig(parseReleaseConfig(devStackConfig()));
        args.weights = { ...args.weights, v2: 10 };
        args.app = { ...args.app, port: 0 };
        // Every problem at once, under the args' own key paths.
        expect(() => new GrayscaleRelease("helloworld", args)).toThrow(
            "Invalid args of GrayscaleRelease 'helloworld' (2 problems):\n  - app.port: must be a port number from 1 to 65535 (got 0)\n  - weights: v1 + v2 = 90; the weights must add up to exactly 100");
        await allRegistered();
        expect(registrations.filter((r) => r.type !== PROVIDER_TYPE)).toEqual([]);
    });

    it("are reported by key when a cluster has no provider or a version's image is not a string or Output", () => {
        const args = releaseArgsFromConfig(parseReleaseConfig(devStackConfig()));
        const broken = {
            ...args,
            clusters: { ...args.clusters, "mdemo-cluster1": { istioConfig: true } },
            versions: { ...args.versions, v2: { ...args.versions.v2, image: 42 } },
        } as unknown as typeof args;
        expect(() => new GrayscaleRelease("helloworld", broken)).toThrow(
            "Invalid args of GrayscaleRelease 'helloworld' (2 problems):\n" +
            "  - clusters.mdemo-cluster1.provider: is required and missing; must be a Kubernetes provider (new k8s.Provider(...))\n" +
            "  - versions.v2.image: must be an image reference: a string, or an Output<string> such as an image build's (got 42)");
    });

    it("is seen by the recorder when it does register (the check above can fail)", async () => {
        const registrations = await recordRegistrations();
        new GrayscaleRelease("helloworld", releaseArgsFromConfig(parseReleaseConfig(devStackConfig())));
        await allRegistered();
        expect(registrations.length).toBeGreaterThan(0);
    });
});

/** Per cluster, "Kind/name" of every object and the objects it was registered to depend on. */
function edgesByCluster(resources: RegisteredResource[]): Record<string, Record<string, string[]>> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const label = (r: RegisteredResource | undefined) => (r === undefined ? "(unknown)" : `${r.inputs.kind as string}/${(r.inputs.metadata as { name: string }).name}`);
    const edges: Record<string, Record<string, string[]>> = {};
    for (const r of kubernetesObjects(resources)) {
        (edges[r.providerName ?? "(default provider)"] ??= {})[label(r)] = r.dependsOn.map((urn) => label(byUrn.get(urn))).sort();
    }
    return edges;
}

describe("the plan's edges, as the engine receives them (dependsOn)", () => {
    const NS = "Namespace/gray-demo";
    const istio = {
        "DestinationRule/helloworld": [NS],
        "Gateway/gray-demo-gateway": [NS],
        "VirtualService/gray-demo-vs": ["DestinationRule/helloworld", "Gateway/gray-demo-gateway", NS],
        "VirtualService/gray-demo-vs-mesh": ["DestinationRule/helloworld", "Gateway/gray-demo-gateway", NS],
        "PeerAuthentication/default": [NS],
    };

    it("puts every object after its namespace, and the routes after the subsets and the Gateway", async () => {
        const { resources } = await registerRelease(devStackConfig());
        expect(edgesByCluster(resources)).toEqual({
            "helloworld-mdemo-cluster1": { [NS]: [], "Service/helloworld": [NS], "Deployment/helloworld-v2": [NS], ...istio },
            "helloworld-mdemo-cluster2": { [NS]: [], "Service/helloworld": [NS], "Deployment/helloworld-v1": [NS], ...istio },
        });
    });

    it("keeps the routes after the subsets in a config-only cluster, and gives workload clusters no Istio edges", async () => {
        const raw = devStackConfig();
        raw.clusters = {
            "control-plane": { context: "cp", istioConfig: true, workloads: false },
            "mdemo-cluster1": { context: "mdemo-cluster1" },
            "mdemo-cluster2": { context: "mdemo-cluster2" },
        };
        const edges = edgesByCluster((await registerRelease(raw)).resources);
        expect(edges["helloworld-control-plane"]).toEqual({ [NS]: [], ...istio });
        expect(edges["helloworld-mdemo-cluster1"]).toEqual({ [NS]: [], "Service/helloworld": [NS], "Deployment/helloworld-v2": [NS] });
    });
});

describe("aliases", () => {
    it("name each Istio object under the other API versions the config allows", async () => {
        const { resources } = await registerRelease(devStackConfig());
        // (@pulumi/kubernetes gives its own kinds aliases of their own, e.g. apps/v1beta1 for a Deployment.)
        const aliases = Object.fromEntries(resources.filter((r) => r.providerName === "helloworld-mdemo-cluster1" && r.type.includes(".istio.io/"))
            .map((r) => [r.type, r.aliases.map((a) => a.type)]));
        expect(aliases).toEqual({
            "kubernetes:networking.istio.io/v1:DestinationRule": ["kubernetes:networking.istio.io/v1alpha3:DestinationRule", "kubernetes:networking.istio.io/v1beta1:DestinationRule"],
            "kubernetes:networking.istio.io/v1:Gateway": ["kubernetes:networking.istio.io/v1alpha3:Gateway", "kubernetes:networking.istio.io/v1beta1:Gateway"],
            "kubernetes:networking.istio.io/v1:VirtualService": ["kubernetes:networking.istio.io/v1alpha3:VirtualService", "kubernetes:networking.istio.io/v1beta1:VirtualService"],
            "kubernetes:security.istio.io/v1:PeerAuthentication": ["kubernetes:security.istio.io/v1beta1:PeerAuthentication"],
        });
        // An alias that only renames the type keeps the resource's own name and parent.
        expect(resources.flatMap((r) => r.aliases).filter((a) => a.name !== undefined)).toEqual([]);
    });
});

describe("the dev stack's resource graph", () => {
    it("keeps its URNs (type tokens, names, parents) and providers: a change here replaces objects on the next `up`", async () => {
        const registrations = await recordRegistrations("dev");
        new GrayscaleRelease("helloworld", releaseArgsFromConfig(parseReleaseConfig(devStackConfig())));
        await allRegistered();
        await expect(resourceGraph(registrations)).toMatchFileSnapshot(DEV_STACK_URNS);
    });
});

describe("promiseOf", () => {
    it("resolves an output's value", async () => {
        const { release } = await registerRelease(devStackConfig());
        await expect(promiseOf(release.urn)).resolves.toContain("GrayscaleRelease::helloworld");
    });
});
