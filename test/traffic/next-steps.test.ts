// docs/local-clusters.md, "Next steps": after try-local-clusters has applied the dev stack, the page's
// marked blocks work as written, in a shell that has nothing but the `export` lines it prints: moving
// the split, checking it with `npm run verify` through the data plane's gateway, stepping it with
// `npm run rollout`, taking v1 offline in two `up`s, and taking the release down (its namespace is
// protected: `pulumi destroy` alone refuses; `pulumi state unprotect --all`, then `pulumi destroy`).
//
// The stack is made by try-local's own code (dev/stacks/local-stack.ts), with its state in the
// suite's clusters' folder as try-local keeps it, in a copy of the project folder: the steps change
// Pulumi.dev.yaml, which the clone must keep as committed. The shell gets a PATH without this
// project's Node or engine and a HOME of its own, where the CLI must write nothing (no ~/.pulumi).
// PULUMI_SKIP_CONFIRMATIONS stands in for the person who answers `pulumi up`'s "Do you want to
// perform this update?"; the blocks' lines are otherwise run exactly as the page shows them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { releaseConfigOf } from "../../dev/stacks/live-stack.ts";
import { createLocalStack, type LocalStack } from "../../dev/stacks/local-stack.ts";
import { stackFileConfig } from "../../dev/engine/render-mode.ts";
import type { KubeApi } from "../../dev/clusters/kube-api.ts";
import { exampleBlock } from "../support/docs.ts";
import { type ProjectCopy, projectCopy } from "../support/project-copy.ts";
import { liveObjects } from "../../dev/stacks/live-stack.ts";
import { clusterApis, helloUrl, routeWeights, useDataPlane } from "./support/traffic-stack.ts";

/** A login shell's PATH before any of this project's set-up: the machine's own tools only. */
const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

let project: ProjectCopy;
let stack: LocalStack;
let home: string;
let apis: Map<string, KubeApi>;
let namespace: string;

interface ShellResult {
    status: number | null;
    output: string;
}

/** The page's block marked `<!-- example: <name> -->`, its lines as written. */
const block = (name: string) => exampleBlock("docs/local-clusters.md", name);

/** The printed export lines, then `commands`, in bash in the project folder; stops at the first failure. */
function shell(...commands: string[]): ShellResult {
    const ingress = new URL(helloUrl()).host;
    const script = ["set -e", ...stack.exportLines, `export INGRESS=${ingress}`, ...commands].join("\n");
    const result = spawnSync("bash", ["-c", script], {
        cwd: project.dir,
        env: { HOME: home, PATH: SYSTEM_PATH, PULUMI_SKIP_CONFIRMATIONS: "true" },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

function mustShell(...commands: string[]): string {
    const result = shell(...commands);
    expect(result.status, result.output).toBe(0);
    return result.output;
}

async function routes(): Promise<Record<string, [string, number][]>> {
    const found: Record<string, [string, number][]> = {};
    for (const [name, api] of apis) {
        found[name] = routeWeights((await liveObjects(api, namespace)).get("VirtualService/gray-demo-vs"));
    }
    return found;
}

useDataPlane();

beforeAll(() => {
    project = projectCopy();
    home = mkdtempSync(path.join(tmpdir(), "hwg-home-"));
    apis = clusterApis();
    namespace = releaseConfigOf(stackFileConfig(readFileSync(path.join(project.dir, "Pulumi.dev.yaml"), "utf8"))).namespace;
    // What try-local-clusters does before it prints the export lines.
    stack = createLocalStack({ engineBin: inject("engineBin"), clusters: inject("localClusters"), projectDir: project.dir });
    const up = stack.run(["up", "--yes"]);
    expect(up.status, `${up.stdout}\n${up.stderr}`).toBe(0);
});

afterAll(() => {
    apis?.forEach((api) => api.close());
    project?.remove();
    if (stack !== undefined) {
        rmSync(stack.dir, { recursive: true, force: true });
    }
    if (home !== undefined) {
        rmSync(home, { recursive: true, force: true });
    }
});

describe("docs/local-clusters.md's next steps after try-local-clusters, in a shell with its export lines", () => {
    it("starts from the dev stack's 80/20 in both clusters", async () => {
        expect(await routes()).toEqual({
            "mdemo-cluster1": [["v1", 80], ["v2", 20]],
            "mdemo-cluster2": [["v1", 80], ["v2", 20]],
        });
    });

    it("moving the split: config set-all, preview, up give 50/50 in both clusters", async () => {
        const output = mustShell(...block("next-steps-split"));
        expect(output).not.toMatch(/warning: using pulumi-language-nodejs/);
        expect(await routes()).toEqual({
            "mdemo-cluster1": [["v1", 50], ["v2", 50]],
            "mdemo-cluster2": [["v1", 50], ["v2", 50]],
        });
    });

    it("npm run verify through the gateway says MATCH at 50/50", () => {
        const output = mustShell(...block("next-steps-verify"));
        expect(output).toMatch(/^MATCH: /m);
    });

    it("npm run rollout steps v2 to 75 and 100 and promotes it", async () => {
        const output = mustShell(...block("next-steps-rollout"));
        expect(output).toMatch(/^PROMOTED: v2 takes all traffic/m);
        // A version at weight 0 gets no route at all.
        expect(await routes()).toEqual({
            "mdemo-cluster1": [["v2", 100]],
            "mdemo-cluster2": [["v2", 100]],
        });
    });

    it("taking v1 offline: 0/100 and up, then retired and up; its Deployment goes, its Service stays", async () => {
        mustShell(...block("next-steps-offline"));
        expect(await routes()).toEqual({
            "mdemo-cluster1": [["v2", 100]],
            "mdemo-cluster2": [["v2", 100]],
        });
        const v1Cluster = await liveObjects(apis.get("mdemo-cluster2") as KubeApi, namespace);
        expect([v1Cluster.has("Deployment/helloworld-v1"), v1Cluster.has("Service/helloworld")]).toEqual([false, true]);
    });

    it("`pulumi destroy` alone refuses and deletes nothing: the namespace is protected", async () => {
        const destroy = shell(...block("next-steps-destroy-refused"));
        expect(destroy.status).not.toBe(0);
        expect(destroy.output).toMatch(/cannot be deleted\s+because it is protected/);
        for (const [name, api] of apis) {
            expect((await liveObjects(api, namespace)).has(`Namespace/${namespace}`), name).toBe(true);
        }
    });

    it("`pulumi state unprotect --all`, then `pulumi destroy`: no namespace and no release object is left in either cluster", async () => {
        mustShell(...block("next-steps-take-down"));
        for (const [name, api] of apis) {
            expect([...(await liveObjects(api, namespace)).keys()], name).toEqual([]);
        }
    });

    it("left the shell's HOME alone: no ~/.pulumi (the state and PULUMI_HOME are in the clusters' folder)", () => {
        expect(existsSync(path.join(home, ".pulumi"))).toBe(false);
        expect(existsSync(path.join(stack.dir, "state", ".pulumi", "stacks"))).toBe(true);
    });
});
