// Issue #16: the dev stack carried by real Envoys. `pulumi up` applies the stack to two live clusters;
// istiod programs the data plane's ingress gateway and sidecars; requests go through the gateway, over
// Istio mutual TLS, to each version's pod in its own cluster. Every figure here is what the requests
// got, not what a config says.
import { describe, expect, inject, it } from "vitest";
import { envoyCounters, rejectedUpdates } from "../../harness/traffic/proxy-admin.ts";
import { burst, failures } from "../../dev/traffic/requests.ts";
import { serviceFqdn } from "../../mesh/hosts.ts";
import { HEADERS_PATH, type PodState } from "../../dev/dataplane/dataplane-files.ts";
import { expectedSplit } from "../../tools/verify/expected.ts";
import type { ExpectationSource } from "../../tools/verify/options.ts";
import { verifySplit } from "../../tools/verify/verify-split.ts";
import { dataPlaneDir, dataPlaneState, gatewayPod, helloUrl, STACK, useTrafficStack } from "./support/traffic-stack.ts";

const NAMESPACE = "gray-gateway";
const HOST = serviceFqdn("helloworld", NAMESPACE);

const stack = useTrafficStack(NAMESPACE);

async function verify(expectedFrom: ExpectationSource) {
    return verifySplit({ url: new URL(helloUrl()), ...expectedSplit(expectedFrom, stack.workspace.dir), expectedFrom });
}

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

describe("the dev stack's split through a real Envoy gateway", () => {
    it("runs v1 in mdemo-cluster2 and v2 in mdemo-cluster1, each pod with its sidecar, and the gateway", () => {
        expect(stack.pods.map((p) => `${p.cluster} ${p.version}`).sort()).toEqual(["mdemo-cluster1 v2", "mdemo-cluster2 v1"]);
        expect(gatewayPod().cluster).toBe(inject("istiod").clusterId);
    });

    it("gives 1000 requests about 80/20, v1 from its pod in mdemo-cluster2, v2 from its pod in mdemo-cluster1, with no failure", async () => {
        const tally = await burst(helloUrl(), 1000);
        expect(tally.statuses.size + tally.connectionErrors.size, failures(tally)).toBe(0);
        // 80% of 1000 is 800, with a binomial standard deviation of 12.6: five of them either side.
        expect(tally.versions.get("v1") ?? 0).toBeGreaterThanOrEqual(737);
        expect(tally.versions.get("v1") ?? 0).toBeLessThanOrEqual(863);
        expect((tally.versions.get("v1") ?? 0) + (tally.versions.get("v2") ?? 0)).toBe(1000);
        expect([...tally.instances.keys()].sort()).toEqual([stack.pod("v1").name, stack.pod("v2").name].sort());
    });

    it("leaves no xDS update refused by any proxy", () => {
        const proxies = dataPlaneState().pods.filter((p) => p.ready);
        expect(proxies.length).toBeGreaterThanOrEqual(3);
        for (const proxy of proxies) {
            // The counters exist (so a filter that matched nothing cannot pass), and none moved.
            expect(envoyCounters(dataPlaneDir(), proxy, "update_rejected$").size, proxy.name).toBeGreaterThan(0);
            expect(Object.fromEntries(rejectedUpdates(dataPlaneDir(), proxy)), proxy.name).toEqual({});
        }
    });

    it("verify --stack dev says MATCH against the gateway", async () => {
        const run = await verify({ kind: "stack", stack: STACK });
        expect(run.verdict, run.summary).toBe("match");
        expect(run.exitCode).toBe(0);
    });

    it("after a 50/50 `pulumi up`, verify says MATCH at the new weights and MISMATCH at the old", async () => {
        stack.workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=50", "--plaintext", "weights.v2=50"]);
        stack.workspace.mustRun(["up", "--yes"]);
        const now = await verify({ kind: "stack", stack: STACK });
        expect(now.verdict, now.summary).toBe("match");
        const old = await verify({ kind: "expect", text: "v1=80,v2=20" });
        expect(old.verdict, old.summary).toBe("mismatch");
        expect(old.exitCode).toBe(1);
    });
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
        for (const subset of ["v1", "v2"]) {
            // Istio names each cluster's stats by its alt_stat_name, the cluster's name and ";".
            const prefix = `cluster.outbound|5000|${subset}|${HOST};.ssl.`;
            const stats = envoyCounters(dataPlaneDir(), gatewayPod(), `^${prefix.replace(/[|.;]/g, "\\$&")}`);
            expect(stats.get(`${prefix}handshake`) ?? 0, subset).toBeGreaterThan(0);
            expect(stats.get(`${prefix}versions.TLSv1.3`) ?? 0, subset).toBeGreaterThan(0);
        }
    });

    it("refuses plaintext to a pod under the stack's STRICT PeerAuthentication", async () => {
        expect(await plaintextToPod(stack.pod("v1"))).toMatch(/^error /);
        expect(await plaintextToPod(stack.pod("v2"))).toMatch(/^error /);
    });

    it("accepts plaintext to a pod once the stack says PERMISSIVE, and refuses it again at STRICT", async () => {
        stack.workspace.mustRun(["config", "set", "peerAuthentication", "PERMISSIVE"]);
        stack.workspace.mustRun(["up", "--yes"]);
        await expect.poll(() => plaintextToPod(stack.pod("v1")), { timeout: 10_000, interval: 200 }).toBe("HTTP 200");
        stack.workspace.mustRun(["config", "set", "peerAuthentication", "STRICT"]);
        stack.workspace.mustRun(["up", "--yes"]);
        await expect.poll(() => plaintextToPod(stack.pod("v1")), { timeout: 10_000, interval: 200 }).toMatch(/^error /);
    });

    it("gets no answer from a subset whose TLS mode is turned to DISABLE by hand; pulumi up --refresh brings them back", async () => {
        // As `kubectl patch --type json` would: v1's subset in the DestinationRule of the cluster whose
        // istiod programs the gateway.
        const api = stack.apis.get(inject("istiod").clusterId);
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
        // v1's half fails (the gateway's plaintext is refused by v1's sidecar); v2 still answers.
        expect(broken.statuses.get(503) ?? 0, failures(broken)).toBeGreaterThan(50);
        expect(broken.versions.get("v2") ?? 0).toBeGreaterThan(50);

        stack.workspace.mustRun(["up", "--refresh", "--yes"]);
        await expect.poll(async () => (await burst(helloUrl(), 20)).versions.has("v1"), { timeout: 10_000, interval: 200 }).toBe(true);
        const healed = await burst(helloUrl(), 200);
        expect(healed.statuses.size + healed.connectionErrors.size, failures(healed)).toBe(0);
    });
});
