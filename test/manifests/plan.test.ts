import { describe, expect, it } from "vitest";
import { parseReleaseConfig } from "../../config/index.ts";
import { planRelease } from "../../manifests/plan.ts";
import type { ClusterPlan, PlannedObject } from "../../manifests/types.ts";
import { devStackConfig } from "../support/dev-stack.ts";

function plansFor(change: (raw: Record<string, any>) => void = () => {}): ClusterPlan[] {
    const raw = devStackConfig();
    change(raw);
    return planRelease(parseReleaseConfig(raw));
}

const label = (o: PlannedObject) => `${o.manifest.kind}/${o.manifest.metadata.name}`;

/** Per object: role, "Kind/name" of what it follows, and whether it is protected. */
function shape(plan: ClusterPlan | undefined): [string, string, string[], boolean][] {
    return (plan?.objects ?? []).map((o) => [label(o), o.role, o.follows.map(label), o.protect]);
}

const NS = "Namespace/gray-demo";

describe("planRelease: roles and edges", () => {
    it("states, for a primary cluster, each object's role and the objects it follows", () => {
        const [cluster1] = plansFor();
        expect(shape(cluster1)).toEqual([
            [NS, "namespace", [], true],
            ["Service/helloworld", "service", [NS], false],
            ["Deployment/helloworld-v2", "workload", [NS], false],
            ["DestinationRule/helloworld", "subsets", [NS], false],
            ["Gateway/gray-demo-gateway", "gateway", [NS], false],
            ["VirtualService/gray-demo-vs", "routes", [NS, "DestinationRule/helloworld", "Gateway/gray-demo-gateway"], false],
            ["VirtualService/gray-demo-vs-mesh", "routes", [NS, "DestinationRule/helloworld", "Gateway/gray-demo-gateway"], false],
            ["PeerAuthentication/default", "mtls-policy", [NS], false],
        ]);
    });

    it("follows the cluster's own objects, never another cluster's", () => {
        for (const plan of plansFor()) {
            const own = new Set(plan.objects);
            expect(plan.objects.flatMap((o) => o.follows).filter((f) => !own.has(f)), plan.cluster.name).toEqual([]);
        }
    });

    it.each<[string, (raw: Record<string, any>) => void]>([
        ["the dev stack", () => {}],
        ["a config-only cluster", (r) => { r.clusters["control-plane"] = { context: "cp", istioConfig: true, workloads: false }; }],
        ["peerAuthentication none", (r) => { r.peerAuthentication = "none"; }],
        ["v1 retired", (r) => { r.weights = { v1: 0, v2: 100 }; r.versions.v1.retired = true; }],
    ])("lists every object after the objects it follows (%s)", (_name, change) => {
        for (const plan of plansFor(change)) {
            plan.objects.forEach((object, i) => {
                for (const followed of object.follows) {
                    expect(plan.objects.indexOf(followed), `${plan.cluster.name}: ${label(object)} follows ${label(followed)}`).toBeGreaterThanOrEqual(0);
                    expect(plan.objects.indexOf(followed)).toBeLessThan(i);
                }
            });
        }
    });

    it("keeps the routes after the subsets and the Gateway in a config-only cluster", () => {
        const plans = plansFor((r) => { r.clusters["control-plane"] = { context: "cp", istioConfig: true, workloads: false }; });
        const controlPlane = plans.find((p) => p.cluster.name === "control-plane");
        expect(shape(controlPlane).map(([name, , follows]) => [name, follows])).toEqual([
            [NS, []],
            ["DestinationRule/helloworld", [NS]],
            ["Gateway/gray-demo-gateway", [NS]],
            ["VirtualService/gray-demo-vs", [NS, "DestinationRule/helloworld", "Gateway/gray-demo-gateway"]],
            ["VirtualService/gray-demo-vs-mesh", [NS, "DestinationRule/helloworld", "Gateway/gray-demo-gateway"]],
            ["PeerAuthentication/default", [NS]],
        ]);
    });

    it("protects no namespace with protectNamespace: false", () => {
        const plans = plansFor((r) => { r.protectNamespace = false; });
        expect(plans.flatMap((p) => p.objects).filter((o) => o.protect)).toEqual([]);
    });

    it("lists the objects' own manifests, in the same order, for readers without edges", () => {
        for (const plan of plansFor()) {
            expect(plan.manifests).toEqual(plan.objects.map((o) => o.manifest));
            plan.manifests.forEach((m, i) => expect(m).toBe(plan.objects[i]?.manifest));
        }
    });
});

describe("planRelease: every routing form", () => {
    // Also the Istio suite's corpus (test/istio): istioctl validate judges these objects as planned.
    const raw = devStackConfig();
    raw.routing = {
        matches: [{ version: "v2", headers: { "x-canary": "always" } }, { version: "v2", cookie: { user: "tester" } }],
        mirror: { version: "v2", percent: 10 },
        sticky: { version: "v2", maxAge: "1h" },
    };
    raw.clusters["mdemo-cluster1"].weights = { v1: 50, v2: 50 };
    const plans = planRelease(parseReleaseConfig(raw));
    const routes = (cluster: string) => plans.find((p) => p.cluster.name === cluster)?.objects.filter((o) => o.role === "routes").map((o) => o.manifest) ?? [];

    it("gives each config cluster its gateway's and its mesh's VirtualService, with the same routes", () => {
        for (const cluster of ["mdemo-cluster1", "mdemo-cluster2"]) {
            const [forGateway, forMesh] = routes(cluster);
            expect([forGateway?.metadata.name, forMesh?.metadata.name]).toEqual(["gray-demo-vs", "gray-demo-vs-mesh"]);
            expect(forMesh?.kind === "VirtualService" && forMesh.spec.http).toEqual(forGateway?.kind === "VirtualService" && forGateway.spec.http);
        }
    });

    it("marks the wave's VirtualServices, whose weights are that cluster's own, and only them", () => {
        const marked = (cluster: string) => routes(cluster).map((m) => m.metadata.annotations?.["istio-grayscale.io/cluster-weights"]);
        expect(marked("mdemo-cluster1")).toEqual(["true", "true"]);
        expect(marked("mdemo-cluster2")).toEqual([undefined, undefined]);
    });
});
