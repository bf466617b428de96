// Issue #17.5 on traffic: a wave. mdemo-cluster1 carries weights of its own (clusters.<c>.weights),
// mdemo-cluster2 the release's; each cluster's istiod programs that cluster's gateway and sidecars from
// that cluster's VirtualServices, so the one stack gives each cluster its own split: at its ingress and
// to the callers inside it alike.
import { beforeAll, describe, expect, it } from "vitest";
import { MESH_CLIENT, meshBurst, meshClientObjects, serviceAddress } from "../../harness/traffic/mesh-client.ts";
import { burst, failures, type Tally } from "../../dev/traffic/requests.ts";
import type { PodState } from "../../dev/dataplane/dataplane-files.ts";
import { serviceFqdn } from "../../mesh/hosts.ts";
import { devClustersWithWeights, gatewayUrl, readyWorkloadPod, useTrafficStack } from "./support/traffic-stack.ts";

const NAMESPACE = "gray-waves";
const SERVICE_URL = `http://${serviceFqdn("helloworld", NAMESPACE)}:5000/hello`;
const [CLUSTER1, CLUSTER2] = ["mdemo-cluster1", "mdemo-cluster2"];

// The first wave moved: mdemo-cluster1 all on v2, mdemo-cluster2 still at the release's 80/20.
const stack = useTrafficStack(NAMESPACE, {
    weights: { v1: 80, v2: 20 },
    clusters: devClustersWithWeights({ [CLUSTER1]: { v1: 0, v2: 100 } }),
});

/** Per cluster, its sidecar'd client and the Service's ClusterIP there. */
const clients = new Map<string, { pod: PodState; address: string }>();

beforeAll(async () => {
    for (const cluster of [CLUSTER1, CLUSTER2]) {
        const api = stack.apis.get(cluster);
        if (api === undefined) {
            throw new Error(`no API client for ${cluster}`);
        }
        for (const object of meshClientObjects(NAMESPACE)) {
            await api.apply(object, "traffic-test");
        }
        clients.set(cluster, { pod: await readyWorkloadPod(NAMESPACE, MESH_CLIENT, cluster), address: await serviceAddress(api, NAMESPACE, "helloworld") });
    }
});

function versions(tally: Tally): Record<string, number> {
    return Object.fromEntries([...tally.versions].sort());
}

async function fromMesh(cluster: string, count: number): Promise<Tally> {
    const client = clients.get(cluster);
    if (client === undefined) {
        throw new Error(`no mesh client in ${cluster}`);
    }
    return meshBurst(client.pod, SERVICE_URL, { address: client.address, count });
}

/** 80% of 400 is 320, with a binomial standard deviation of 8: five of them either side. */
function expect80of400(tally: Tally, where: string): void {
    const v1 = tally.versions.get("v1") ?? 0;
    expect(tally.statuses.size + tally.connectionErrors.size, `${where}: ${failures(tally)}`).toBe(0);
    expect(v1, `${where}: ${JSON.stringify(versions(tally))}`).toBeGreaterThanOrEqual(280);
    expect(v1, `${where}: ${JSON.stringify(versions(tally))}`).toBeLessThanOrEqual(360);
    expect(v1 + (tally.versions.get("v2") ?? 0), where).toBe(400);
}

describe("a wave: mdemo-cluster1 at its own 0/100, mdemo-cluster2 at the release's 80/20", () => {
    it("sends every request through mdemo-cluster1's gateway to v2, and mdemo-cluster2's about 80/20", async () => {
        const [cluster1, cluster2] = await Promise.all([burst(gatewayUrl(CLUSTER1), 200), burst(gatewayUrl(CLUSTER2), 400)]);
        expect(versions(cluster1), failures(cluster1)).toEqual({ v2: 200 });
        expect80of400(cluster2, `${CLUSTER2}'s gateway`);
    });

    it("splits callers inside each cluster as that cluster's route says: v2 alone in mdemo-cluster1, 80/20 in mdemo-cluster2", async () => {
        const cluster1 = await fromMesh(CLUSTER1, 200);
        expect(versions(cluster1), failures(cluster1)).toEqual({ v2: 200 });
        expect80of400(await fromMesh(CLUSTER2, 400), `the client in ${CLUSTER2}`);
    });
});
