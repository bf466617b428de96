// The resource graph under the real engine: switching `istioApiVersion` (which changes the Istio
// objects' type tokens) is an update in place, thanks to the aliases; and the state ends with exactly
// the URNs, parents and providers the unit tests pin (test/components/__snapshots__/dev-stack-urns.yaml).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type PreviewChange, previewChanges } from "../../dev/engine/preview-changes.ts";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { DEV_STACK_URNS, stateGraph } from "../support/resource-graph.ts";
import { devStack } from "./support/stacks.ts";

const ISTIO_API_VERSION = "helloworld-grayscale:istioApiVersion";

function istioObjects(workspace: PulumiWorkspace): string[] {
    return workspace.resources().filter((r) => r.type.includes(".istio.io/")).map((r) => `${r.type} ${r.urn.split("::").at(-1)}`).sort();
}

describe("switching istioApiVersion from v1beta1 to v1 on the dev stack", () => {
    let workspace: PulumiWorkspace;
    let before: string[];
    let changes: PreviewChange[];

    beforeAll(() => {
        workspace = new PulumiWorkspace({
            engineBin: inject("engineBin"),
            config: { ...devStack(), [ISTIO_API_VERSION]: "networking.istio.io/v1beta1" },
            renderMode: true,
            stack: "dev",
        });
        workspace.mustRun(["up", "--yes", "--skip-preview"]);
        before = istioObjects(workspace);
        workspace.mustRun(["config", "set", ISTIO_API_VERSION, "networking.istio.io/v1"]);
        changes = previewChanges(workspace.mustRun(["preview", "--json"]).stdout);
    });
    afterAll(() => workspace?.remove());

    it("starts with the ten Istio objects at v1beta1", () => {
        expect(before).toHaveLength(10);
        expect(before.every((o) => o.includes("istio.io/v1beta1:"))).toBe(true);
    });

    it("previews updates of the Istio objects only: no create, no delete, no replacement", () => {
        expect(changes.map((s) => s.op)).toEqual(Array(10).fill("update"));
        expect(changes.map((s) => s.type).sort()).toEqual([
            ...Array(2).fill("kubernetes:networking.istio.io/v1:DestinationRule"),
            ...Array(2).fill("kubernetes:networking.istio.io/v1:Gateway"),
            ...Array(4).fill("kubernetes:networking.istio.io/v1:VirtualService"),
            ...Array(2).fill("kubernetes:security.istio.io/v1:PeerAuthentication"),
        ]);
    });

    it("updates every Istio object in place on `pulumi up`, and ends with the pinned graph", () => {
        const up = workspace.mustRun(["up", "--yes", "--skip-preview"]);
        expect(up.stdout).toMatch(/10 updated/);
        expect(up.stdout).not.toMatch(/created|deleted|replaced/);
        expect(istioObjects(workspace)).toEqual(before.map((o) => o.replace("networking.istio.io/v1beta1:", "networking.istio.io/v1:").replace("security.istio.io/v1beta1:", "security.istio.io/v1:")));
        for (const cluster of ["mdemo-cluster1", "mdemo-cluster2"]) {
            const rendered = path.join(workspace.renderRoot, cluster, "1-manifest", "networking.istio.io_v1-virtualservice-gray-demo-gray-demo-vs.yaml");
            expect(existsSync(rendered), rendered).toBe(true);
        }
        expect(stateGraph(workspace)).toBe(readFileSync(DEV_STACK_URNS, "utf8"));
    });
});
