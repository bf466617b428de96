// docs/operating.md, "A first release on your clusters": the stack config its marked block writes with
// `pulumi config set-all --path`, run as written by the real CLI, is one the program accepts, and
// places each version where the block says. The block's `npm ci`, `stack init`, `preview` and `up`
// are not run: the workspace has its stack, and `east` and `west` are the reader's own clusters; render
// stands in for them (the same config code, the same plan).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { exampleCommands } from "../support/docs.ts";
import { runTool } from "../support/run-tool.ts";

const commands = exampleCommands("docs/operating.md", "first-release");
const configCommands = commands.filter((line) => line.startsWith("pulumi config "));

describe("the first release's stack config, as docs/operating.md writes it", () => {
    let workspace: PulumiWorkspace;
    let out: string;

    beforeAll(() => {
        workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), config: {} });
        out = mkdtempSync(path.join(tmpdir(), "first-release-"));
    });
    afterAll(() => {
        workspace.remove();
        rmSync(out, { recursive: true, force: true });
    });

    it("is the block's config commands between init and preview", () => {
        expect(commands.filter((line) => !configCommands.includes(line)))
            .toEqual(["npm ci", "pulumi stack init prod", "pulumi preview", "pulumi up"]);
        expect(configCommands.length).toBeGreaterThan(0);
    });

    it("sets a config the program accepts: render writes one file per cluster, v1 in west and v2 in east, 80/20", () => {
        const set = spawnSync("bash", ["-c", ["set -e", ...configCommands].join("\n")], { cwd: workspace.dir, env: workspace.env, encoding: "utf8" });
        expect(set.status, set.stderr).toBe(0);
        const render = runTool("render", ["--config-file", workspace.stackFile, "--out", out]);
        expect(render.status, render.stderr).toBe(0);
        expect(readdirSync(out).sort()).toEqual(["east.yaml", "west.yaml"]);
        const objects = (cluster: string) => parseAllDocuments(readFileSync(path.join(out, `${cluster}.yaml`), "utf8"))
            .map((doc) => doc.toJS() as { kind: string; metadata: { name: string }; spec?: { http?: { route: { destination: { subset: string }; weight: number }[] }[] } })
            .filter((object) => object !== null);
        expect(objects("west").filter((o) => o.kind === "Deployment").map((o) => o.metadata.name)).toEqual(["helloworld-v1"]);
        expect(objects("east").filter((o) => o.kind === "Deployment").map((o) => o.metadata.name)).toEqual(["helloworld-v2"]);
        const route = objects("east").find((o) => o.kind === "VirtualService")?.spec?.http?.[0]?.route;
        expect(route?.map((r) => [r.destination.subset, r.weight])).toEqual([["v1", 80], ["v2", 20]]);
    });
});
