// `pulumi preview` and `pulumi up` with the real engine and Kubernetes provider, in render mode (no
// cluster): the YAML the provider writes must be, object by object, what `npm run render` writes.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { runTool } from "../support/run-tool.ts";
import { engineRenderedObjects, toolRenderedObjects } from "./support/rendered-objects.ts";
import { devStack, tenClusterStack } from "./support/stacks.ts";

const stacks = { dev: devStack, "ten-cluster": tenClusterStack };

describe.each(Object.entries(stacks))("the %s stack through the engine", (_name, config) => {
    let workspace: PulumiWorkspace;
    let objectCount: number;

    beforeAll(() => {
        workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), config: config(), renderMode: true });
        const render = runTool("render", ["--config-file", workspace.stackFile, "--out", path.join(workspace.dir, "npm-render")]);
        expect(render.status, render.stderr).toBe(0);
        objectCount = [...toolRenderedObjects(path.join(workspace.dir, "npm-render")).values()].reduce((n, objects) => n + objects.size, 0);
    });
    afterAll(() => workspace.remove());

    it("previews one create per object, provider and component, and nothing else", () => {
        const preview = JSON.parse(workspace.mustRun(["preview", "--json"]).stdout) as { changeSummary: Record<string, number> };
        const clusters = toolRenderedObjects(path.join(workspace.dir, "npm-render")).size;
        // Objects, one provider and one ClusterRelease per cluster, the GrayscaleRelease, the stack.
        expect(preview.changeSummary).toEqual({ create: objectCount + 2 * clusters + 2 });
    });

    it("writes, on `pulumi up`, exactly the objects npm run render writes", () => {
        workspace.mustRun(["up", "--yes", "--skip-preview"]);
        const engine = engineRenderedObjects(workspace.renderRoot);
        const tool = toolRenderedObjects(path.join(workspace.dir, "npm-render"));
        expect([...engine.keys()]).toEqual([...tool.keys()]);
        for (const [cluster, objects] of tool) {
            const rendered = engine.get(cluster);
            expect([...(rendered?.keys() ?? [])].sort(), cluster).toEqual([...objects.keys()].sort());
            for (const [key, object] of objects) {
                expect(rendered?.get(key), `${cluster}: ${key}`).toEqual(object);
            }
        }
    });

    it("has nothing left to do after `up`", () => {
        const preview = JSON.parse(workspace.mustRun(["preview", "--json"]).stdout) as { changeSummary: Record<string, number> };
        expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
    });
});
