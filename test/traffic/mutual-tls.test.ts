// Issue #16: Istio mutual TLS on the wire. The gateway reaches each subset over TLS, both ends with
// their SPIFFE identity; the stack's STRICT PeerAuthentication refuses plaintext to a pod and
// PERMISSIVE accepts it; a DestinationRule turned to DISABLE by hand gets no answer (why the pack
// insists on ISTIO_MUTUAL), and `pulumi up --refresh` brings the answers back.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { PulumiWorkspace } from "../../harness/engine/workspace.ts";
import { envoyCounters } from "../../harness/traffic/proxy-admin.ts";
import { burst, failures } from "../../harness/traffic/requests.ts";
import { serviceFqdn } from "../../mesh/hosts.ts";
import type { KubeApi } from "../../tools/clusters/kube-api.ts";
import { HEADERS_PATH, type PodState } from "../../tools/dataplane/dataplane-files.ts";
import { clusterApis, gatewayPod, helloUrl, liveStackConfig, readyPods, removeNamespace, trafficWorkspace, dataPlaneDir, useDataPlane,
} from "./support/traffic-stack.ts";

const NAMESPACE = "gray-mtls";
const HOST = serviceFqdn("helloworld", NAMESPACE);

let workspace: PulumiWorkspace;
let apis: Map<string, KubeApi>;
let pods: PodState[];

/** What a client outside the mesh gets from the pod's port directly: an HTTP status, or the error. */
async function plaintextToPod(pod: PodState): Promise<string> {
    try {
        const res = await fetch(`http://${pod.ip}:5000/hello`, { signal: AbortSignal.timeout(5_000) });
        await res.body?.cancel();
        return `HTTP ${res.status}`;
    } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause;
        return `error ${cause?.code ?? (err as Error).name}`;
    }
}

function podOf(version: string): PodState {
    const pod = pods.find((p) => p.version === version);
    if (pod === undefined) {
        throw new Error(`no pod of ${version}`);
    }
    return pod;
}

useDataPlane();

beforeAll(async () => {
    apis = clusterApis();
    workspace = trafficWorkspace(liveStackConfig(NAMESPACE));
    workspace.mustRun(["up", "--yes"]);
    pods = await readyPods(NAMESPACE, ["v1", "v2"]);
});

afterAll(async () => {
    workspace?.remove();
    if (apis !== undefined) {
        await removeNamespace(apis, NAMESPACE);
        apis.forEach((api) => api.close());
    }
});

describe("Istio mutual TLS between the gateway and each version", () => {
    it("carries each subset over TLS 1.3, with the gateway's and the workload's SPIFFE identities", async () => {
        const res = await fetch(helloUrl(HEADERS_PATH));
        expect(res.status).toBe(200);
        const { headers } = await res.json() as { headers: Record<string, string> };
        const xfcc = headers["x-forwarded-client-cert"] ?? "";
        // By: the identity of the sidecar that terminated TLS; URI: the certificate the gateway presented.
        expect(xfcc).toContain(`By=spiffe://cluster.local/ns/${NAMESPACE}/sa/default`);
        expect(xfcc).toContain("URI=spiffe://cluster.local/ns/istio-system/sa/default");

        const tally = await burst(helloUrl(), 100);
        expect(tally.statuses.size + tally.connectionErrors.size, failures(tally)).toBe(0);
        const gateway = gatewayPod();
        for (const subset of ["v1", "v2"]) {
            // Istio names each cluster's stats by its alt_stat_name, the cluster's name and ";".
            const prefix = `cluster.outbound|5000|${subset}|${HOST};.ssl.`;
            const stats = envoyCounters(dataPlaneDir(), gateway, `^${prefix.replace(/[|.;]/g, "\\$&")}`);
            expect(stats.get(`${prefix}handshake`) ?? 0, subset).toBeGreaterThan(0);
            expect(stats.get(`${prefix}versions.TLSv1.3`) ?? 0, subset).toBeGreaterThan(0);
        }
    });

    it("refuses plaintext to a pod under the stack's STRICT PeerAuthentication", async () => {
        expect(await plaintextToPod(podOf("v1"))).toMatch(/^error /);
        expect(await plaintextToPod(podOf("v2"))).toMatch(/^error /);
    });

    it("accepts plaintext to a pod once the stack says PERMISSIVE, and refuses it again at STRICT", async () => {
        workspace.mustRun(["config", "set", "peerAuthentication", "PERMISSIVE"]);
        workspace.mustRun(["up", "--yes"]);
        await expect.poll(() => plaintextToPod(podOf("v1")), { timeout: 10_000, interval: 200 }).toBe("HTTP 200");
        workspace.mustRun(["config", "set", "peerAuthentication", "STRICT"]);
        workspace.mustRun(["up", "--yes"]);
        await expect.poll(() => plaintextToPod(podOf("v1")), { timeout: 10_000, interval: 200 }).toMatch(/^error /);
    });

    it("gets no answer from a subset whose TLS mode is turned to DISABLE by hand; pulumi up --refresh brings them back", async () => {
        // As `kubectl patch --type json` would: v1's subset in the DestinationRule of the cluster whose
        // istiod programs the gateway.
        const api = apis.get(inject("istiod").clusterId);
        if (api === undefined) {
            throw new Error("no API client for istiod's cluster");
        }
        const rulePath = `/apis/networking.istio.io/v1/namespaces/${NAMESPACE}/destinationrules/helloworld`;
        const rule = await api.get<{ spec: { subsets: { name: string }[] } }>(rulePath);
        const index = rule.spec.subsets.findIndex((s) => s.name === "v1");
        expect(index).toBeGreaterThanOrEqual(0);
        await api.call("PATCH", rulePath, [{ op: "replace", path: `/spec/subsets/${index}/trafficPolicy/tls/mode`, value: "DISABLE" }],
            "application/json-patch+json");

        await expect.poll(async () => (await burst(helloUrl(), 20)).versions.has("v1"), { timeout: 10_000, interval: 200 }).toBe(false);
        const broken = await burst(helloUrl(), 200);
        expect(broken.versions.get("v1") ?? 0, failures(broken)).toBe(0);
        // v1's share fails (the gateway's plaintext is refused by v1's sidecar); v2 still answers.
        expect(broken.statuses.get(503) ?? 0, failures(broken)).toBeGreaterThan(100);
        expect(broken.versions.get("v2") ?? 0).toBeGreaterThan(0);

        workspace.mustRun(["up", "--refresh", "--yes"]);
        await expect.poll(async () => (await burst(helloUrl(), 20)).versions.has("v1"), { timeout: 10_000, interval: 200 }).toBe(true);
        const healed = await burst(helloUrl(), 200);
        expect(healed.statuses.size + healed.connectionErrors.size, failures(healed)).toBe(0);
    });
});
