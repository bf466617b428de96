// Point 2 of issue #11: a hand edit of a VirtualService (`kubectl patch`, weights 10/90) against the
// live API server. The stack owns the routing and mTLS objects, so `pulumi up --refresh` puts the
// stack's weights back and takes `.spec.http` back from kubectl's field manager (see README,
// "Hand edits of the release's objects").
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { KubeApi, KubeObject } from "../../dev/clusters/kube-api.ts";
import type { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { clusterApis, liveStackConfig, liveWorkspace, type Route, routeWeights } from "./support/live-stack.ts";

const NAMESPACE = "gray-drift";
const VS_PATH = `/apis/networking.istio.io/v1/namespaces/${NAMESPACE}/virtualservices/gray-demo-vs`;

/** The field managers whose managed fields include `.spec.http`. */
function ownersOfHttp(object: KubeObject | undefined): string[] {
    return (object?.metadata.managedFields ?? [])
        .filter((entry) => (entry.fieldsV1?.["f:spec"] as Record<string, unknown> | undefined)?.["f:http"] !== undefined)
        .map((entry) => entry.manager);
}

/** What an operator types: `kubectl patch virtualservice gray-demo-vs --type merge` with weights 10/90. */
function kubectlPatchWeights(context: string, vs: KubeObject): void {
    const http = (vs.spec as { http: { route: Route[] }[] }).http.map((rule) => ({
        ...rule,
        route: rule.route.map((r) => ({ ...r, weight: r.destination.subset === "v1" ? 10 : 90 })),
    }));
    execFileSync(path.join(inject("localClusters").binDir, "kubectl"), [
        "--context", context, "--namespace", NAMESPACE,
        "patch", "virtualservice", "gray-demo-vs", "--type", "merge", "--patch", JSON.stringify({ spec: { http } }),
    ], { env: { ...process.env, KUBECONFIG: inject("localClusters").kubeconfig }, stdio: "pipe" });
}

describe("a `kubectl patch` of the weights, then `pulumi up --refresh`", () => {
    let workspace: PulumiWorkspace;
    let apis: Map<string, KubeApi>;
    let api: KubeApi;

    beforeAll(async () => {
        apis = clusterApis();
        api = apis.get("mdemo-cluster1") as KubeApi;
        workspace = liveWorkspace(liveStackConfig(NAMESPACE));
        workspace.mustRun(["up", "--yes"]);
        kubectlPatchWeights("mdemo-cluster1", await api.get(VS_PATH));
    });
    afterAll(() => {
        workspace?.remove();
        apis?.forEach((a) => a.close());
    });

    it("the hand edit took: 10/90 served, `.spec.http` owned by kubectl", async () => {
        const vs = await api.get(VS_PATH);
        expect(routeWeights(vs)).toEqual([["v1", 10], ["v2", 90]]);
        expect(ownersOfHttp(vs)).toEqual(["kubectl-patch"]);
    });

    it("`pulumi preview --refresh` shows the drift as an update of that VirtualService, and succeeds", () => {
        const preview = workspace.run(["preview", "--refresh", "--json"]);
        expect(preview.status, preview.stderr).toBe(0);
        const steps = (JSON.parse(preview.stdout) as { steps: { op: string; urn: string }[] }).steps;
        expect(steps.filter((s) => s.op === "update").map((s) => s.urn.split("::").at(-1))).toEqual(["helloworld-mdemo-cluster1-gray-demo-vs"]);
    });

    it("`pulumi up --refresh` restores 80/20, and Pulumi's field manager owns `.spec.http` again", async () => {
        workspace.mustRun(["up", "--refresh", "--yes"]);
        const vs = await api.get(VS_PATH);
        expect(routeWeights(vs)).toEqual([["v1", 80], ["v2", 20]]);
        const owners = ownersOfHttp(vs);
        expect(owners).toHaveLength(1);
        expect(owners[0]).toMatch(/^pulumi-kubernetes/);
    });

    it("leaves the other cluster's VirtualService, never edited, at 80/20", async () => {
        expect(routeWeights(await (apis.get("mdemo-cluster2") as KubeApi).get(VS_PATH))).toEqual([["v1", 80], ["v2", 20]]);
    });
});
