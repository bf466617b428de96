// Issue #17: the local mesh is what the dev stack says it is, multi-primary. Each cluster runs an
// istiod of its own (scripts/istiod start), which programs that cluster's gateway and sidecars from
// that cluster's Istio config, and reads the other cluster's endpoints through a remote secret; the
// clusters' intermediate CAs share one root, so mutual TLS spans them. What waves rely on, proven on
// traffic: a VirtualService moved in one cluster moves that cluster's gateway alone. And a caller
// inside the mesh (a sidecar'd `sleep` client) reaches the Service through its own sidecar, over
// mutual TLS; with the route bound to the gateway only (`routing.mesh: false`, the seed's shape), it
// gets both versions, balanced over the endpoints, whatever the gateway's weights.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { envoyCounters } from "../../harness/traffic/proxy-admin.ts";
import { MESH_CLIENT, meshBurst, meshClientObjects, meshRequests, serviceAddress } from "../../harness/traffic/mesh-client.ts";
import { burst, failures, type Tally } from "../../dev/traffic/requests.ts";
import type { KubeApi } from "../../dev/clusters/kube-api.ts";
import { HEADERS_PATH, type PodState } from "../../dev/dataplane/dataplane-files.ts";
import { serviceFqdn } from "../../mesh/hosts.ts";
import { dataPlaneDir, dataPlaneState, gatewayUrl, readyWorkloadPod, useTrafficStack } from "./support/traffic-stack.ts";

const NAMESPACE = "gray-primaries";
const HOST = serviceFqdn("helloworld", NAMESPACE);
const SERVICE_URL = `http://${HOST}:5000`;
const [CLUSTER1, CLUSTER2] = ["mdemo-cluster1", "mdemo-cluster2"];

// Every user on v1: any answer from v2 is a route some istiod made from something else.
const stack = useTrafficStack(NAMESPACE, { weights: { v1: 100, v2: 0 }, routing: { mesh: false } });

let client: PodState;
let address: string;

function api(cluster: string): KubeApi {
    const found = stack.apis.get(cluster);
    if (found === undefined) {
        throw new Error(`no API client for ${cluster}`);
    }
    return found;
}

/** The client sidecar's counters for the Service's outbound clusters (whatever subset), summed by stat. */
function clientOutbound(...stats: string[]): Record<string, number> {
    const hostPattern = HOST.replace(/\./g, "\\.");
    const counters = envoyCounters(dataPlaneDir(), client, `^cluster\\.outbound\\|5000\\|[^|]*\\|${hostPattern};\\.(${stats.join("|").replace(/\./g, "\\.")})$`);
    const sums: Record<string, number> = Object.fromEntries(stats.map((stat) => [stat, 0]));
    for (const [name, value] of counters) {
        const stat = stats.find((s) => name.endsWith(`;.${s}`));
        if (stat !== undefined) {
            sums[stat] = (sums[stat] ?? 0) + value;
        }
    }
    return sums;
}

function versions(tally: Tally): Record<string, number> {
    return Object.fromEntries([...tally.versions].sort());
}

beforeAll(async () => {
    for (const object of meshClientObjects(NAMESPACE)) {
        await api(CLUSTER1).apply(object, "traffic-test");
    }
    client = await readyWorkloadPod(NAMESPACE, MESH_CLIENT);
    address = await serviceAddress(api(CLUSTER1), NAMESPACE, "helloworld");
});

describe("one istiod per cluster", () => {
    it("runs an istiod for each cluster, each reading the other as its remote, and a ready gateway in each", () => {
        expect(inject("istiods").map((i) => [i.clusterId, i.remoteClusterIds])).toEqual([[CLUSTER1, [CLUSTER2]], [CLUSTER2, [CLUSTER1]]]);
        expect(Object.keys(dataPlaneState().gateways).sort()).toEqual([CLUSTER1, CLUSTER2]);
    });

    it("connects every proxy to its own cluster's istiod, and none to the other's", async () => {
        for (const istiod of inject("istiods")) {
            // istiod's debug view of its xDS clients: one connection ID per proxy, "<pod>.<namespace>-<n>".
            const res = await fetch(`${istiod.http}/debug/connections`);
            expect(res.status, istiod.clusterId).toBe(200);
            const { clients } = await res.json() as { clients: { connectionId: string }[] };
            const proxies = dataPlaneState().pods.filter((p) => p.cluster === istiod.clusterId).map((p) => `${p.name}.${p.namespace}`);
            expect(clients.map((c) => c.connectionId.replace(/-\d+$/, "")).sort(), istiod.clusterId).toEqual(proxies.sort());
        }
    });
});

describe("a caller inside the mesh, through its own sidecar", () => {
    it("reaches both versions, balanced over their endpoints, though every gateway sends all users to v1", async () => {
        const before = clientOutbound("upstream_rq_2xx");
        const tally = await meshBurst(client, `${SERVICE_URL}/hello`, { address, count: 200 });
        expect(tally.statuses.size + tally.connectionErrors.size, failures(tally)).toBe(0);
        // Round robin over one endpoint per version: each gets about half.
        expect(tally.versions.get("v1") ?? 0, JSON.stringify(versions(tally))).toBeGreaterThanOrEqual(70);
        expect(tally.versions.get("v2") ?? 0, JSON.stringify(versions(tally))).toBeGreaterThanOrEqual(70);
        // Every answer came through the client's sidecar: its outbound cluster for the Service counted each.
        expect(clientOutbound("upstream_rq_2xx")["upstream_rq_2xx"]).toBe((before["upstream_rq_2xx"] ?? 0) + 200);
        const gateways = await Promise.all([CLUSTER1, CLUSTER2].map((cluster) => burst(gatewayUrl(cluster), 50)));
        expect(gateways.map(versions)).toEqual([{ v1: 50 }, { v1: 50 }]);
    });

    it("reaches each version over Istio mutual TLS with the client's own identity, across the two clusters' CAs", async () => {
        expect(clientOutbound("ssl.handshake")["ssl.handshake"]).toBeGreaterThan(0);
        const answers = await meshRequests(client, `${SERVICE_URL}${HEADERS_PATH}`, { address, count: 10 });
        const seen = answers.map((answer) => {
            expect(answer.status).toBe(200);
            const { headers, version } = JSON.parse(answer.body) as { headers: Record<string, string>; version: string };
            return [version, headers["x-forwarded-client-cert"] ?? ""] as const;
        });
        // v2's sidecar (certificate from mdemo-cluster1's istiod) and v1's (from mdemo-cluster2's)
        // both took the client's certificate (from mdemo-cluster1's): URI is the identity the client
        // presented, By the server sidecar's own.
        expect(new Set(seen.map(([version]) => version))).toEqual(new Set(["v1", "v2"]));
        for (const [version, xfcc] of seen) {
            expect(xfcc, version).toContain(`URI=spiffe://cluster.local/ns/${NAMESPACE}/sa/${MESH_CLIENT}`);
            expect(xfcc, version).toContain(`By=spiffe://cluster.local/ns/${NAMESPACE}/sa/default`);
        }
    });
});

describe("a VirtualService moved in one cluster", () => {
    it("moves that cluster's gateway alone: mdemo-cluster1's at 0/100, mdemo-cluster2's still 100/0", async () => {
        // As `kubectl --context mdemo-cluster1 patch virtualservice` would: the stack's route in cluster1 only.
        const routePath = `/apis/networking.istio.io/v1/namespaces/${NAMESPACE}/virtualservices/gray-demo-vs`;
        const vs = await api(CLUSTER1).get<{ spec: { http: { route: { destination: { subset: string } }[] }[] } }>(routePath);
        const [only] = vs.spec.http[0]?.route ?? [];
        expect(only?.destination.subset).toBe("v1");
        await api(CLUSTER1).call("PATCH", routePath, [{
            op: "replace", path: "/spec/http/0/route", value: [{ destination: { ...only?.destination, subset: "v2" }, weight: 100 }],
        }], "application/json-patch+json");

        await expect.poll(async () => versions(await burst(gatewayUrl(CLUSTER1), 20)), { timeout: 10_000, interval: 200 }).toEqual({ v2: 20 });
        const [cluster1, cluster2] = await Promise.all([burst(gatewayUrl(CLUSTER1), 200), burst(gatewayUrl(CLUSTER2), 200)]);
        expect(versions(cluster1), failures(cluster1)).toEqual({ v2: 200 });
        expect(versions(cluster2), failures(cluster2)).toEqual({ v1: 200 });
    });

    it("leaves the mesh's callers as they were: the route is the gateway's", async () => {
        const tally = await meshBurst(client, `${SERVICE_URL}/hello`, { address, count: 200 });
        expect(tally.statuses.size + tally.connectionErrors.size, failures(tally)).toBe(0);
        expect(tally.versions.get("v1") ?? 0).toBeGreaterThanOrEqual(70);
        expect(tally.versions.get("v2") ?? 0).toBeGreaterThanOrEqual(70);
    });
});
