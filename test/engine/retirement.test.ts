// Taking the old version offline through `pulumi up`, in the two steps the README documents: its
// weight goes to 0, then it is retired. Its Deployment and subset go; the Service, the namespace and
// every other object stay.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { devStack } from "./support/stacks.ts";

const manifest = (root: string, cluster: string, file: string) => path.join(root, cluster, "1-manifest", file);

describe("retiring v1 through `pulumi up`", () => {
    let workspace: PulumiWorkspace;
    let before: string[];

    beforeAll(() => {
        workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), config: devStack(), renderMode: true });
        workspace.mustRun(["up", "--yes", "--skip-preview"]);
        before = workspace.resources().map((r) => r.urn);
        workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=0", "--plaintext", "weights.v2=100"]);
        workspace.mustRun(["up", "--yes"]);
        workspace.mustRun(["config", "set", "--path", "versions.v1.retired", "true"]);
        workspace.mustRun(["up", "--yes"]);
    });
    afterAll(() => workspace.remove());

    it("stores `retired: true` as a boolean", () => {
        const settings = parse(readFileSync(workspace.stackFile, "utf8")) as { config: Record<string, any> };
        expect(settings.config["helloworld-grayscale:versions"].v1.retired).toBe(true);
    });

    it("deletes v1's Deployment and nothing else", () => {
        const after = workspace.resources().map((r) => r.urn);
        expect(before.filter((urn) => !after.includes(urn)).map((urn) => urn.split("::").at(-1))).toEqual(["helloworld-mdemo-cluster2-helloworld-v1"]);
        expect(after.filter((urn) => !before.includes(urn))).toEqual([]);
        expect(existsSync(manifest(workspace.renderRoot, "mdemo-cluster2", "apps_v1-deployment-gray-demo-helloworld-v1.yaml"))).toBe(false);
    });

    it("keeps both Services and namespaces, and drops the v1 subset from every DestinationRule", () => {
        for (const cluster of ["mdemo-cluster1", "mdemo-cluster2"]) {
            expect(existsSync(manifest(workspace.renderRoot, cluster, "v1-service-gray-demo-helloworld.yaml")), cluster).toBe(true);
            expect(existsSync(manifest(workspace.renderRoot, cluster, "v1-namespace-default-gray-demo.yaml")), cluster).toBe(true);
            const rule = parse(readFileSync(manifest(workspace.renderRoot, cluster, "networking.istio.io_v1-destinationrule-gray-demo-helloworld.yaml"), "utf8")) as { spec: { subsets: { name: string }[] } };
            expect(rule.spec.subsets.map((s) => s.name), cluster).toEqual(["v2"]);
            const vs = parse(readFileSync(manifest(workspace.renderRoot, cluster, "networking.istio.io_v1-virtualservice-gray-demo-gray-demo-vs.yaml"), "utf8")) as { spec: { http: { route: { destination: { subset: string }; weight: number }[] }[] } };
            expect(vs.spec.http[0]?.route.map((r) => [r.destination.subset, r.weight]), cluster).toEqual([["v2", 100]]);
        }
    });
});
