// A stack made by 0.1, whose component was `helloworld-grayscale:index:GrayscaleRelease` with the
// providers as its children, updates in place under 0.2's `istio-grayscale:index:GrayscaleRelease`
// with the providers at the top: `up` with the old program, then `up` with the new one, changes none
// of 0.1's objects (it only adds 0.2's VirtualServices for mesh callers). Without the aliases every object would be created under its new URN and the old one deleted,
// which for a namespace (protected) stops the update, and for the rest deletes live objects.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type PreviewChange, previewChanges } from "../../dev/engine/preview-changes.ts";
import { PulumiWorkspace, type StateResource } from "../../dev/engine/workspace.ts";
import { DEV_STACK_URNS, stateGraph } from "../support/resource-graph.ts";
import { devStack } from "./support/stacks.ts";

const RELEASE_0_1 = fileURLToPath(new URL("fixtures/release-0.1.ts", import.meta.url));
const URNS_0_1 = fileURLToPath(new URL("fixtures/dev-stack-urns-0.1.yaml", import.meta.url));

/** Kubernetes objects by type and name, and their outputs: what must not change. */
function kubernetesObjects(resources: StateResource[]): Map<string, string> {
    return new Map(resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers"))
        .map((r) => [`${r.type} ${r.urn.split("::").at(-1) ?? ""}`, JSON.stringify(r.outputs)]));
}

describe("a 0.1 stack, updated by 0.2", () => {
    let oldProgram: PulumiWorkspace;
    let graphAfterOld: string;
    let objectsAfterOld: Map<string, string>;
    let preview: PreviewChange[];
    let upOutput: string;

    beforeAll(() => {
        oldProgram = new PulumiWorkspace({ engineBin: inject("engineBin"), config: devStack(), renderMode: true, stack: "dev", program: RELEASE_0_1 });
        oldProgram.mustRun(["up", "--yes", "--skip-preview"]);
        graphAfterOld = stateGraph(oldProgram);
        objectsAfterOld = kubernetesObjects(oldProgram.resources());
        // The same stack (state and config), now with this project's program.
        oldProgram.useProgram(undefined);
        preview = previewChanges(oldProgram.mustRun(["preview", "--json"]).stdout);
        upOutput = oldProgram.mustRun(["up", "--yes", "--skip-preview"]).stdout;
    });
    afterAll(() => oldProgram?.remove());

    it("starts from 0.1's resource graph (the fixture is the old program, not a look-alike)", () => {
        expect(graphAfterOld).toBe(readFileSync(URNS_0_1, "utf8"));
        expect(objectsAfterOld.size).toBe(14);
    });

    it("previews no delete or replacement, and creates only 0.2's VirtualServices for the mesh: the aliases carry every URN over", () => {
        expect(preview.map((step) => `${step.op} ${step.type} ${step.name}`)).toEqual([
            "create kubernetes:networking.istio.io/v1:VirtualService helloworld-mdemo-cluster1-gray-demo-vs-mesh",
            "create kubernetes:networking.istio.io/v1:VirtualService helloworld-mdemo-cluster2-gray-demo-vs-mesh",
        ]);
    });

    it("updates with nothing deleted or replaced, and ends with 0.2's graph and 0.1's objects unchanged", () => {
        expect(upOutput).toMatch(/\+ 2 created/);
        expect(upOutput).not.toMatch(/\d+ (deleted|replaced)/);
        expect(stateGraph(oldProgram)).toBe(readFileSync(DEV_STACK_URNS, "utf8"));
        const after = kubernetesObjects(oldProgram.resources());
        expect([...after.keys()].filter((key) => !objectsAfterOld.has(key))).toHaveLength(2);
        for (const [key, outputs] of objectsAfterOld) {
            expect(after.get(key), key).toBe(outputs);
        }
    });
});
