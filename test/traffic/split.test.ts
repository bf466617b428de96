// Issue #16: the dev stack's split, carried by real Envoys. `pulumi up` applies the stack to two live
// clusters; istiod programs the data plane's ingress gateway and sidecars; requests go through the
// gateway, over Istio mutual TLS, to each version's pod in its own cluster. Every figure here is what
// the requests got, not what a config says.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envoyCounters, rejectedUpdates } from "../../harness/traffic/proxy-admin.ts";
import { burst, failures } from "../../harness/traffic/requests.ts";
import type { PulumiWorkspace } from "../../harness/engine/workspace.ts";
import type { KubeApi } from "../../tools/clusters/kube-api.ts";
import type { PodState } from "../../tools/dataplane/dataplane-files.ts";
import { runVerify } from "../../tools/verify/main.ts";
import { inject } from "vitest";
import {
    clusterApis, dataPlaneState, gatewayPod, helloUrl, liveStackConfig, readyPods, removeNamespace, STACK, trafficWorkspace, dataPlaneDir, useDataPlane,
} from "./support/traffic-stack.ts";

const NAMESPACE = "gray-split";
const discard = { write: () => true };

let workspace: PulumiWorkspace;
let apis: Map<string, KubeApi>;
let pods: PodState[];

async function verify(...flags: string[]) {
    return runVerify(["--url", helloUrl(), ...flags], { stdout: discard, stderr: discard, projectDir: workspace.dir });
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

describe("the dev stack's split through a real Envoy gateway", () => {
    it("runs v1 in mdemo-cluster2 and v2 in mdemo-cluster1, each pod with its sidecar, and the gateway", () => {
        expect(pods.map((p) => `${p.cluster} ${p.version}`).sort()).toEqual(["mdemo-cluster1 v2", "mdemo-cluster2 v1"]);
        expect(gatewayPod().cluster).toBe(inject("istiod").clusterId);
    });

    it("gives 1000 requests about 80/20, v1 from its pod in mdemo-cluster2, v2 from its pod in mdemo-cluster1, with no failure", async () => {
        const tally = await burst(helloUrl(), 1000);
        expect(tally.statuses.size + tally.connectionErrors.size, failures(tally)).toBe(0);
        // 80% of 1000 is 800, with a binomial standard deviation of 12.6: five of them either side.
        expect(tally.versions.get("v1") ?? 0).toBeGreaterThanOrEqual(737);
        expect(tally.versions.get("v1") ?? 0).toBeLessThanOrEqual(863);
        expect((tally.versions.get("v1") ?? 0) + (tally.versions.get("v2") ?? 0)).toBe(1000);
        const podOf = (version: string) => pods.find((p) => p.version === version)?.name;
        expect([...tally.instances.keys()].sort()).toEqual([podOf("v1"), podOf("v2")].sort());
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
        const run = await verify("--stack", STACK);
        expect(run.report?.summary).toMatch(/./);
        expect(run.report?.verdict, run.report?.summary).toBe("match");
        expect(run.exitCode).toBe(0);
    });

    it("after a 50/50 `pulumi up`, verify says MATCH at the new weights and MISMATCH at the old", async () => {
        workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=50", "--plaintext", "weights.v2=50"]);
        workspace.mustRun(["up", "--yes"]);
        const now = await verify("--stack", STACK);
        expect(now.report?.verdict, now.report?.summary).toBe("match");
        const old = await verify("--expect", "v1=80,v2=20");
        expect(old.report?.verdict, old.report?.summary).toBe("mismatch");
        expect(old.exitCode).toBe(1);
    });
});
