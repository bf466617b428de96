// try-local-clusters' stack lives and dies with its clusters: its state is in their folder, so once
// they are stopped (as `scripts/clusters stop` does) a new pair gets a fresh `dev` stack whose
// `pulumi up` creates the release there, instead of failing on state that names the old pair's
// deleted kubeconfig. The passphrase salt `stack init` left in Pulumi.dev.yaml serves the new stack.
//
// Its own two pairs of clusters, one after the other (the suite's pair keeps running for the other
// files), and try-local's own code for the stack (dev/stacks/local-stack.ts), in a copy of
// the project folder whose Pulumi.dev.yaml it may write.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { createLocalStack } from "../../dev/stacks/local-stack.ts";
import type { CommandResult } from "../../dev/engine/workspace.ts";
import { KubeApi } from "../../dev/clusters/kube-api.ts";
import { type LocalClusters, startLocalClusters, stopLocalClusters } from "../../dev/clusters/local-clusters.ts";
import { killNow } from "../../dev/clusters/processes.ts";
import { type ProjectCopy, projectCopy } from "../support/project-copy.ts";
import { liveObjects, routeWeights } from "./support/live-stack.ts";

let project: ProjectCopy;
let running: LocalClusters | undefined;
const killRunning = () => killNow(running?.clusters.flatMap((c) => c.processes) ?? []);

async function startPair(): Promise<LocalClusters> {
    running = await startLocalClusters({ count: 2, log: (line) => console.error(`clusters: ${line}`) });
    return running;
}

async function stopPair(clusters: LocalClusters): Promise<void> {
    await stopLocalClusters(clusters);
    running = undefined;
}

function salt(): unknown {
    return (parse(readFileSync(path.join(project.dir, "Pulumi.dev.yaml"), "utf8")) as Record<string, unknown>).encryptionsalt;
}

function status(result: CommandResult): [number | null, string] {
    return [result.status, `${result.stdout}\n${result.stderr}`];
}

let firstUp: CommandResult;
let firstStateDir: string;
let firstSalt: unknown;
let secondUp: CommandResult;
let secondRoutes: Record<string, [string, number][]>;
let secondSalt: unknown;

beforeAll(async () => {
    // Teardown does not run when the process is interrupted: kill the pair on the way out then.
    process.once("exit", killRunning);
    project = projectCopy();
    const engineBin = inject("engineBin");

    const first = await startPair();
    const firstStack = createLocalStack({ engineBin, clusters: first, projectDir: project.dir });
    firstStateDir = firstStack.dir;
    firstUp = firstStack.run(["up", "--yes"]);
    firstSalt = salt();
    await stopPair(first);

    const second = await startPair();
    const secondStack = createLocalStack({ engineBin, clusters: second, projectDir: project.dir });
    secondUp = secondStack.run(["up", "--yes"]);
    secondSalt = salt();
    secondRoutes = {};
    for (const cluster of second.clusters) {
        const api = new KubeApi(cluster);
        try {
            secondRoutes[cluster.name] = routeWeights((await liveObjects(api, "gray-demo")).get("VirtualService/gray-demo-vs"));
        } finally {
            api.close();
        }
    }
});

afterAll(async () => {
    process.off("exit", killRunning);
    if (running !== undefined) {
        await stopPair(running);
    }
    project?.remove();
});

describe("try-local's stack across a stop and a new pair of clusters", () => {
    it("`pulumi up` of the first pair succeeds, and stopping the pair removes the stack's state", () => {
        expect(status(firstUp)[0], status(firstUp)[1]).toBe(0);
        expect(existsSync(firstStateDir)).toBe(false);
    });

    it("`pulumi up` of the new pair succeeds and creates the release: 80/20 in both new clusters", () => {
        expect(status(secondUp)[0], status(secondUp)[1]).toBe(0);
        expect(secondUp.stdout).toMatch(/\+ \d+ created/);
        expect(secondRoutes).toEqual({
            "mdemo-cluster1": [["v1", 80], ["v2", 20]],
            "mdemo-cluster2": [["v1", 80], ["v2", 20]],
        });
    });

    it("the new stack reuses the passphrase salt the first left in Pulumi.dev.yaml", () => {
        expect(typeof firstSalt).toBe("string");
        expect(secondSalt).toBe(firstSalt);
    });
});
