// Point 3 of issue #11: a real istiod reads the release. The dev stack's mesh is multi-primary: an
// istiod (pilot-discovery from the Istio module) runs beside the local clusters for each of them,
// reading the other through a remote secret (dev/istiod/primaries.ts, as `scripts/istiod start`
// starts them); ingress-xds asks mdemo-cluster1's over xDS for what its ingress gateway gets. The dev stack is applied by
// `pulumi up`, as a user would, and everything below is what istiod serves, not what Pulumi says.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { serviceFqdn } from "../../mesh/hosts.ts";
import { KubeApi, type KubeObject } from "../../dev/clusters/kube-api.ts";
import { ingressGatewayObjects } from "../../dev/istiod/ingress-gateway.ts";
import { type IngressArgs, type IngressView, settledIngressView, subsetClusterName, subsetWeights, watchIngress } from "../../dev/istiod/ingress-route.ts";
import type { IstiodInfo } from "../../dev/istiod/istiod.ts";
import { startPrimaries, stopPrimaries } from "../../dev/istiod/primaries.ts";
import { stackFileConfig } from "../../dev/engine/render-mode.ts";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { PROJECT_DIR } from "../support/dev-stack.ts";

/** The dev stack's namespace: the clusters are this suite's own. */
const NAMESPACE = "gray-demo";
const HOST = serviceFqdn("helloworld", NAMESPACE);
const ROUTE_TIMEOUT_MS = 60_000;

let bin: string;
let dir: string;
let istiods: IstiodInfo[] = [];
let workspace: PulumiWorkspace | undefined;
let ingress: IngressArgs;
const apis = new Map<string, KubeApi>();

const ROUTED = { host: HOST, port: 5000, subsets: ["v1", "v2"] };

/** The ingress's view once istiod serves both subsets with endpoints (cross-cluster discovery takes a moment). */
function settledView(args = ingress): Promise<IngressView> {
    return settledIngressView(args, ROUTED, ROUTE_TIMEOUT_MS);
}

async function podIps(clusterName: string, version: string): Promise<string[]> {
    const api = apis.get(clusterName);
    if (api === undefined) {
        throw new Error(`no API client for ${clusterName}`);
    }
    const pods = await api.list(`/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=version%3D${version}`);
    return pods.map((p) => (p as KubeObject & { status?: { podIP?: string } }).status?.podIP ?? "(no IP)").sort();
}

beforeAll(async () => {
    bin = inject("istioBin");
    const clusters = inject("localClusters").clusters;
    for (const c of clusters) {
        apis.set(c.name, new KubeApi(c));
    }
    dir = mkdtempSync(path.join(tmpdir(), "hwg-istiod-"));
    istiods = await startPrimaries({ binDir: bin, clusters, dir });
    const [first] = istiods;
    if (first === undefined) {
        throw new Error("no istiod started");
    }
    ingress = { binDir: bin, xds: first.xds, clusterId: first.clusterId };
    // istioctl analyze wants each primary's gateway pod (kwok runs it) and its Service; xDS does not need them.
    for (const api of apis.values()) {
        for (const object of ingressGatewayObjects()) {
            await api.apply(object, "istiod-test");
        }
    }
    const live = new PulumiWorkspace({
        engineBin: inject("engineBin"),
        config: stackFileConfig(readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")),
        env: { KUBECONFIG: inject("mergedKubeconfig") },
    });
    workspace = live;
    live.mustRun(["up", "--yes"]);
});

afterAll(async () => {
    workspace?.remove();
    await stopPrimaries(istiods);
    apis.forEach((api) => api.close());
    rmSync(dir, { recursive: true, force: true });
});

describe("what istiod serves the ingress gateway for the dev stack", () => {
    it("routes port 80 to subsets v1 and v2 at the stack's weights", async () => {
        const view = await settledView();
        expect(view.route.name).toBe("http.80");
        expect(subsetWeights(view, HOST)).toEqual({ v1: 80, v2: 20 });
    });

    it("is served alike by each cluster's own istiod, each a primary with the other cluster as its remote", async () => {
        expect(istiods.map((i) => [i.clusterId, i.remoteClusterIds])).toEqual([
            ["mdemo-cluster1", ["mdemo-cluster2"]],
            ["mdemo-cluster2", ["mdemo-cluster1"]],
        ]);
        for (const istiod of istiods) {
            const view = await settledView({ binDir: bin, xds: istiod.xds, clusterId: istiod.clusterId });
            expect(subsetWeights(view, HOST), istiod.clusterId).toEqual({ v1: 80, v2: 20 });
        }
    });

    it("sends to each subset with Istio's mutual TLS: the proxy's SDS certificate, validated against Istio's root", async () => {
        const view = await settledView();
        for (const subset of ["v1", "v2"]) {
            expect(view.clusters[subsetClusterName(5000, subset, HOST)]?.transportSocket, subset).toEqual({
                name: "envoy.transport_sockets.tls",
                sni: `outbound_.5000_.${subset}_.${HOST}`,
                // No "istio-peer-exchange": the local istiod does not send Istio's metadata exchange,
                // which the local data plane's upstream Envoy cannot run (dev/istiod/istiod.ts).
                alpn: ["istio"],
                certificateSds: ["default"],
                validationSds: "ROOTCA",
                // istiod names no peer identity to match here: the pods run no sidecar, so it knows no service account.
                subjectAltNames: null,
            });
        }
    });

    it("finds each version's pods in the cluster it runs in: v1 in mdemo-cluster2, v2 in mdemo-cluster1", async () => {
        const view = await settledView();
        const endpoints = (subset: string) => view.clusters[subsetClusterName(5000, subset, HOST)]?.endpoints ?? [];
        expect(endpoints("v1").map((e) => e.address).sort()).toEqual(await podIps("mdemo-cluster2", "v1"));
        expect(endpoints("v2").map((e) => e.address).sort()).toEqual(await podIps("mdemo-cluster1", "v2"));
        expect(endpoints("v1").map((e) => e.workload?.split(";").at(-1))).toEqual(endpoints("v1").map(() => "mdemo-cluster2"));
        expect(endpoints("v2").map((e) => e.workload?.split(";").at(-1))).toEqual(endpoints("v2").map(() => "mdemo-cluster1"));
    });
});

describe("a weight change, as istiod serves it", () => {
    it("reaches the ingress's route after `up`; the delay from the end of `up` is printed", async () => {
        await settledView();
        const watch = watchIngress(ingress);
        try {
            const split = (v1: number, v2: number) => (view: IngressView) => {
                const weights = subsetWeights(view, HOST);
                return weights["v1"] === v1 && weights["v2"] === v2;
            };
            await watch.next(split(80, 20), ROUTE_TIMEOUT_MS);
            workspace?.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=50", "--plaintext", "weights.v2=50"]);
            const from = watch.count();
            workspace?.mustRun(["up", "--yes"]);
            const upEnded = Date.now();
            const { at } = await watch.next(split(50, 50), ROUTE_TIMEOUT_MS, from);
            // Negative: the route was there before `up` had finished (istiod pushes ~0.1 s after the API server has the object).
            console.log(`istiod: new route ${at - upEnded} ms after the end of \`pulumi up\``);
        } finally {
            watch.stop();
        }
    });
});

describe("istioctl analyze against the live clusters", () => {
    it("reports no error for the release's namespace, with mdemo-cluster2 as a remote context", () => {
        const run = spawnSync(path.join(bin, "istioctl"), [
            "analyze", "--context", "mdemo-cluster1", "--remote-contexts", "mdemo-cluster2", "-n", NAMESPACE, "-o", "json",
        ], { encoding: "utf8", env: { ...process.env, KUBECONFIG: inject("mergedKubeconfig") } });
        // 0: nothing at the failure threshold (Error); 79: issues found. Anything else: analyze itself failed.
        expect([0, 79], run.stderr).toContain(run.status);
        const messages = JSON.parse(run.stdout) as { code: string; level: string; origin: string; message: string }[];
        expect(messages.filter((m) => m.level === "Error").map((m) => `${m.code} ${m.origin}: ${m.message}`)).toEqual([]);
    });
});
