// The owner's first use: move traffic with `pulumi config set-all --path ...` and `pulumi up`. The
// preview a reviewer reads must show the VirtualServices updating, one per config cluster, and
// nothing else: no Deployment restarts, no provider replacement.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { previewChanges } from "../../dev/engine/preview-changes.ts";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { devStack } from "./support/stacks.ts";

const VIRTUAL_SERVICE = "kubernetes:networking.istio.io/v1:VirtualService";

describe("a weight change through `pulumi config set-all --path` and `pulumi up`", () => {
    let workspace: PulumiWorkspace;

    beforeAll(() => {
        workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), config: devStack(), renderMode: true });
        workspace.mustRun(["up", "--yes", "--skip-preview"]);
        workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=50", "--plaintext", "weights.v2=50"]);
    });
    afterAll(() => workspace.remove());

    it("stores the weights as numbers in the stack file", () => {
        const settings = parse(readFileSync(workspace.stackFile, "utf8")) as { config: Record<string, unknown> };
        expect(settings.config["helloworld-grayscale:weights"]).toEqual({ v1: 50, v2: 50 });
    });

    it("previews exactly two updates per Istio config cluster: its VirtualServices' (the gateway's and the mesh's) two weights", () => {
        const changes = previewChanges(workspace.mustRun(["preview", "--json", "--diff"]).stdout);
        expect(changes.map((step) => [step.op, step.type, step.name])).toEqual([
            ["update", VIRTUAL_SERVICE, "helloworld-mdemo-cluster1-gray-demo-vs"],
            ["update", VIRTUAL_SERVICE, "helloworld-mdemo-cluster1-gray-demo-vs-mesh"],
            ["update", VIRTUAL_SERVICE, "helloworld-mdemo-cluster2-gray-demo-vs"],
            ["update", VIRTUAL_SERVICE, "helloworld-mdemo-cluster2-gray-demo-vs-mesh"],
        ]);
        for (const step of changes) {
            expect(step.detailedDiff).toEqual({
                "spec.http[0].route[0].weight": expect.objectContaining({ kind: "update" }),
                "spec.http[0].route[1].weight": expect.objectContaining({ kind: "update" }),
            });
        }
    });

    it("applies the new split on `pulumi up`", () => {
        const up = workspace.mustRun(["up", "--yes"]);
        expect(up.stdout).toMatch(/4 updated/);
        for (const [cluster, name] of ["mdemo-cluster1", "mdemo-cluster2"].flatMap((c) => [[c, "gray-demo-vs"], [c, "gray-demo-vs-mesh"]])) {
            const file = path.join(workspace.renderRoot, cluster as string, "1-manifest", `networking.istio.io_v1-virtualservice-gray-demo-${name}.yaml`);
            const vs = parse(readFileSync(file, "utf8")) as { spec: { http: { route: { destination: { subset: string }; weight: number }[] }[] } };
            expect(vs.spec.http[0]?.route.map((r) => [r.destination.subset, r.weight])).toEqual([["v1", 50], ["v2", 50]]);
        }
    });
});
