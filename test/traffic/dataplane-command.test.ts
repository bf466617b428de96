// Issue #16: `scripts/dataplane start|stop`, as the README shows it, after the clusters and istiod:
// it prints INGRESS, the gateway answers for the stack, the data plane follows the clusters (a
// scale-up's pod gets a namespace and answers; a removed namespace's pods lose theirs), and stop
// leaves no namespace, veth, bridge or address on the host.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { burst, failures } from "../../dev/traffic/requests.ts";
import type { KubeApi } from "../../dev/clusters/kube-api.ts";
import { waitFor, waitUntil } from "../../dev/clusters/kube-api.ts";
import { readState } from "../../dev/dataplane/dataplane-files.ts";
import { stopDataPlane } from "../../dev/dataplane/dataplane-folder.ts";
import { leftOnHost } from "../../dev/dataplane/host-network.ts";
import { PROJECT_DIR } from "../support/dev-stack.ts";
import { clusterApis, liveStackConfig, removeNamespace, trafficWorkspace } from "./support/traffic-stack.ts";

const NAMESPACE = "gray-follow";

let apis: Map<string, KubeApi>;
let workspace: PulumiWorkspace;
let exports: Record<string, string> = {};

/** The `export NAME='value'` lines a start command printed, as the shell would read them. */
function exportsOf(stdout: string): Record<string, string> {
    const shell = spawnSync("bash", ["-c", `${stdout}\nenv -0`], { encoding: "utf8" }).stdout;
    const env = Object.fromEntries(shell.split("\0").filter((e) => e.includes("=")).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
    return Object.fromEntries(["INGRESS", "HWG_DATAPLANE_DIR"].map((name) => [name, env[name] ?? ""]));
}

function dataPlane(...args: string[]) {
    return spawnSync(path.join(PROJECT_DIR, "scripts/dataplane"), args, {
        cwd: PROJECT_DIR, encoding: "utf8",
        env: { ...process.env, HWG_CLUSTERS_DIR: inject("localClusters").dir, HWG_ISTIOD_DIR: inject("istiodDir") },
    });
}

function pods(version: string) {
    return readState(exports.HWG_DATAPLANE_DIR ?? "").pods.filter((p) => p.namespace === NAMESPACE && p.version === version);
}

beforeAll(() => {
    apis = clusterApis();
    const start = dataPlane("start");
    if (start.status !== 0) {
        throw new Error(`scripts/dataplane start exited ${start.status}\n${start.stderr}`);
    }
    exports = exportsOf(start.stdout);
    workspace = trafficWorkspace(liveStackConfig(NAMESPACE));
    workspace.mustRun(["up", "--yes"]);
});

afterAll(async () => {
    workspace?.remove();
    if (apis !== undefined && exports.HWG_DATAPLANE_DIR !== undefined && existsSync(exports.HWG_DATAPLANE_DIR)) {
        await removeNamespace(apis, NAMESPACE, exports.HWG_DATAPLANE_DIR).catch(() => undefined);
        await stopDataPlane(exports.HWG_DATAPLANE_DIR);
    }
    apis?.forEach((api) => api.close());
});

describe("scripts/dataplane", () => {
    it("prints the ingress gateway's address, where the stack answers", async () => {
        expect(exports.INGRESS).toMatch(/^10\.244\.1\.\d+:8080$/);
        await waitFor("v1 and v2 answering through the gateway", 60_000, async () => {
            const tally = await burst(`http://${exports.INGRESS}/hello`, 20);
            return tally.versions.has("v1") && tally.versions.has("v2") ? true : undefined;
        });
    });

    it("starts a pod for a scale-up, which then answers too", async () => {
        workspace.mustRun(["config", "set", "--path", "versions.v2.replicas", "2"]);
        workspace.mustRun(["up", "--yes"]);
        await waitUntil("two v2 pods ready in the data plane", 60_000, () => (pods("v2").filter((p) => p.ready).length === 2 ? true : undefined));
        const names = pods("v2").map((p) => p.name).sort();
        await waitFor("both v2 pods answering", 30_000, async () => {
            const tally = await burst(`http://${exports.INGRESS}/hello`, 200);
            expect(tally.statuses.size + tally.connectionErrors.size, failures(tally)).toBe(0);
            return names.every((name) => tally.instances.has(name)) ? true : undefined;
        });
    });

    it("stops a removed namespace's pods", async () => {
        await removeNamespace(apis, NAMESPACE, exports.HWG_DATAPLANE_DIR ?? "");
        expect(pods("v1")).toEqual([]);
        expect(pods("v2")).toEqual([]);
    });

    it("stop removes the folder and every namespace, veth, bridge and address it made", () => {
        const stop = dataPlane("stop", "--dir", exports.HWG_DATAPLANE_DIR ?? "");
        expect(stop.status, stop.stderr).toBe(0);
        expect(stop.stderr).not.toContain("swept up");
        expect(existsSync(exports.HWG_DATAPLANE_DIR ?? "")).toBe(false);
        expect(leftOnHost()).toEqual({ netns: [], links: [], addresses: [] });
        // Istio's redirection lived in the pods' namespaces; the host's own tables are as before.
        expect(spawnSync("iptables-save", [], { encoding: "utf8" }).stdout).not.toMatch(/ISTIO|hwg/);
    });
});
