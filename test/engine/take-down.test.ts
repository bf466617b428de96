// docs/operating.md, "Taking the release down": the namespaces are protected, so `pulumi destroy` alone
// (and after `config set protectNamespace false` alone) deletes nothing; the page's two marked
// blocks, run as written, take the release down. `protect` is a resource option kept in the state:
// the `up` in between changes no object, yet it must clear the flag.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type CommandResult, PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { exampleCommands } from "../support/docs.ts";
import { devStack } from "./support/stacks.ts";

const PAGE = "docs/operating.md";

/** A block's `pulumi ...` lines as the workspace runs them (its stack, its backend, no prompts). */
function pulumiArgs(line: string): string[] {
    const [command, ...args] = line.split(/\s+/);
    expect(command, line).toBe("pulumi");
    return args;
}

const protectedNames = (workspace: PulumiWorkspace) =>
    workspace.resources().filter((r) => r.protect === true).map((r) => r.urn.split("::").at(-1)).sort();

function renderedFiles(workspace: PulumiWorkspace): string[] {
    return ["mdemo-cluster1", "mdemo-cluster2"].flatMap((cluster) => {
        const dir = path.join(workspace.renderRoot, cluster, "1-manifest");
        return existsSync(dir) ? readdirSync(dir).map((file) => `${cluster}/${file}`) : [];
    });
}

const output = (result: CommandResult) => `${result.stdout}\n${result.stderr}`;

describe("taking the release down, as docs/operating.md shows it", () => {
    let workspace: PulumiWorkspace;
    const takeDown = exampleCommands(PAGE, "take-down");
    const byState = exampleCommands(PAGE, "take-down-by-state");

    beforeAll(() => {
        workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), config: devStack(), renderMode: true });
        workspace.mustRun(["up", "--yes", "--skip-preview"]);
    });
    afterAll(() => workspace.remove());

    it("the blocks are config set, up and destroy; and state unprotect and destroy", () => {
        expect(takeDown.map((line) => pulumiArgs(line)[0])).toEqual(["config", "up", "destroy"]);
        expect(byState.map((line) => pulumiArgs(line)[0])).toEqual(["state", "destroy"]);
    });

    it("`pulumi destroy` alone refuses and deletes nothing: both namespaces are protected", () => {
        expect(protectedNames(workspace)).toEqual(["helloworld-mdemo-cluster1-gray-demo", "helloworld-mdemo-cluster2-gray-demo"]);
        const before = renderedFiles(workspace);
        const destroy = workspace.run(["destroy"]);
        expect(destroy.status).not.toBe(0);
        expect(output(destroy)).toMatch(/cannot be deleted\s+because it is protected/);
        expect(renderedFiles(workspace)).toEqual(before);
    });

    it("after `config set protectNamespace false` alone, destroy still refuses: the flag is in the state", () => {
        workspace.mustRun(pulumiArgs(takeDown[0] as string));
        const destroy = workspace.run(["destroy"]);
        expect(destroy.status).not.toBe(0);
        expect(protectedNames(workspace)).toHaveLength(2);
    });

    it("then `up` changes no object, yet clears the flag, and `destroy` deletes everything", () => {
        const up = workspace.mustRun(pulumiArgs(takeDown[1] as string));
        expect(output(up)).toMatch(/\[diff: ~protect\]/);
        expect(output(up)).toMatch(/^\s+22 unchanged$/m);
        expect(protectedNames(workspace)).toEqual([]);
        workspace.mustRun(pulumiArgs(takeDown[2] as string));
        expect(workspace.resources()).toEqual([]);
        expect(renderedFiles(workspace)).toEqual([]);
    });

    it("an `up` with protectNamespace true protects them again; `state unprotect --all` and `destroy` then take it down", () => {
        workspace.mustRun(["config", "set", "protectNamespace", "true"]);
        workspace.mustRun(["up"]);
        expect(protectedNames(workspace)).toHaveLength(2);
        for (const line of byState) {
            workspace.mustRun(pulumiArgs(line));
        }
        expect(workspace.resources()).toEqual([]);
        expect(renderedFiles(workspace)).toEqual([]);
    });
});
