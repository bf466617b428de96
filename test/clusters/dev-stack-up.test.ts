// Point 2 of issue #11: `pulumi up` of the dev stack against two live API servers, as a user runs it
// (contexts from KUBECONFIG, the real engine and Kubernetes provider), read back from the clusters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeApi } from "../../dev/clusters/kube-api.ts";
import type { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { clusterApis, liveObjects, liveStackConfig, liveWorkspace, plannedPlacement } from "./support/live-stack.ts";

const NAMESPACE = "gray-up";

describe("`pulumi up` of the dev stack against live clusters", () => {
    const config = liveStackConfig(NAMESPACE);
    let workspace: PulumiWorkspace;
    let apis: Map<string, KubeApi>;

    beforeAll(() => {
        apis = clusterApis();
        workspace = liveWorkspace(config);
        workspace.mustRun(["up", "--yes"]);
    });
    afterAll(() => {
        workspace?.remove();
        apis?.forEach((api) => api.close());
    });

    it("puts every object of the plan in its cluster, and no other", async () => {
        const planned = plannedPlacement(config);
        expect([...planned.keys()].sort()).toEqual([...apis.keys()].sort());
        for (const [name, api] of apis) {
            const live = await liveObjects(api, NAMESPACE);
            expect([...live.keys()].sort(), name).toEqual(planned.get(name));
        }
    });

    it("places v1 in mdemo-cluster2 and v2 in mdemo-cluster1, the seed scenario", async () => {
        const deployments = async (name: string) => [...(await liveObjects(apis.get(name) as KubeApi, NAMESPACE)).keys()]
            .filter((key) => key.startsWith("Deployment/"));
        expect(await deployments("mdemo-cluster1")).toEqual(["Deployment/helloworld-v2"]);
        expect(await deployments("mdemo-cluster2")).toEqual(["Deployment/helloworld-v1"]);
    });

    it("leaves every Deployment Available, with ready pods that have IPs from their cluster's pod CIDR", async () => {
        for (const [name, api] of apis) {
            for (const [key, deployment] of await liveObjects(api, NAMESPACE)) {
                if (!key.startsWith("Deployment/")) continue;
                const status = deployment.status as { conditions?: { type: string; status: string }[]; availableReplicas?: number };
                expect(status.conditions?.find((c) => c.type === "Available")?.status, `${name} ${key}`).toBe("True");
                expect(status.availableReplicas, `${name} ${key}`).toBeGreaterThan(0);
            }
            const pods = await api.list(`/api/v1/namespaces/${NAMESPACE}/pods`);
            expect(pods.length, name).toBeGreaterThan(0);
            const index = name.replace("mdemo-cluster", "");
            for (const pod of pods) {
                expect((pod.status as { podIP?: string }).podIP, `${name} ${pod.metadata.name}`).toMatch(new RegExp(`^10\\.244\\.${index}\\.\\d+$`));
            }
        }
    });

    it("protects the namespace: `pulumi destroy` refuses, and both clusters keep it", async () => {
        const namespaces = workspace.resources().filter((r) => r.type === "kubernetes:core/v1:Namespace");
        expect(namespaces.map((r) => r.protect)).toEqual([true, true]);
        const destroy = workspace.run(["destroy", "--yes"]);
        expect(destroy.status).not.toBe(0);
        expect(`${destroy.stdout}${destroy.stderr}`).toMatch(/protect/);
        for (const [name, api] of apis) {
            expect(await api.find(`/api/v1/namespaces/${NAMESPACE}`), name).toBeDefined();
        }
    });
});
