// A local data plane that outlives the process that started it (`scripts/dataplane start`,
// try-local-clusters, the traffic tests): its controller (controller.ts) runs detached from a
// temporary folder of its own, which records how to stop it. `stop` ends the controller by pid (it
// stops every pod and removes the bridge on SIGTERM), then removes whatever of the data plane's
// network is still on the host, so a crashed controller leaves nothing behind either.
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LocalClusterInfo } from "../clusters/local-cluster.ts";
import { WaitAborted, waitUntil } from "../clusters/kube-api.ts";
import { isRunning, logTail, type ProcessRecord, signalPids, startProcess, stopProcesses } from "../clusters/processes.ts";
import type { IstiodInfo } from "../istiod/istiod.ts";
import { CONFIG_FILE, CONTROLLER_FILE, type DataPlaneConfig, type DataPlaneState, FAULTS_FILE, readState } from "./dataplane-files.ts";
import type { Fault } from "./faults.ts";
import { type LeftOnHost, sweepHost } from "./host-network.ts";
import { liveOwner, releaseOwner } from "./owner.ts";

const CONTROLLER = fileURLToPath(new URL("./controller.ts", import.meta.url));
/** The gateway's Envoy is ready within seconds; a busy 2-core machine gets a minute. */
const READY_TIMEOUT_MS = 60_000;
/** The controller stops its pods in parallel, each within a few seconds. */
const STOP_GRACE_MS = 20_000;

export interface StartDataPlaneArgs {
    clusters: LocalClusterInfo[];
    /** The mesh's istiods (scripts/istiod starts one per cluster); at least one. */
    istiods: IstiodInfo[];
    istioBin: string;
    envoyDir: string;
}

export interface StartedDataPlane {
    dir: string;
    controller: ProcessRecord;
    /** <gateway pod IP>:8080: where the first istiod's cluster's ingress gateway listens. */
    ingress: string;
    /** Per cluster with an istiod of its own, where its ingress gateway listens (<pod IP>:8080). */
    gateways: Record<string, string>;
}

function readIfThere(dir: string): DataPlaneState | undefined {
    try {
        return readState(dir);
    } catch {
        return undefined;
    }
}

/** Waits until the data plane's state satisfies `ready` (e.g. a version's pods ready), failing if the controller exits. */
export async function waitForDataPlane<T>(dir: string, what: string, timeoutMs: number, ready: (state: DataPlaneState) => T | undefined): Promise<T> {
    const controller = JSON.parse(readFileSync(path.join(dir, CONTROLLER_FILE), "utf8")) as ProcessRecord;
    return waitUntil(what, timeoutMs, () => {
        if (!isRunning(controller)) {
            throw new WaitAborted(`the data plane's controller exited; the end of ${controller.log}:\n${logTail(controller, 30)}`);
        }
        const state = readIfThere(dir);
        return state === undefined ? undefined : ready(state);
    });
}

/** Starts the data plane in a new folder and waits for every istiod's ingress gateway; on failure nothing is left. */
export async function startDataPlane(args: StartDataPlaneArgs): Promise<StartedDataPlane> {
    if (args.istiods.length === 0) {
        throw new Error("the data plane needs an istiod");
    }
    const dir = mkdtempSync(path.join(tmpdir(), "hwg-dataplane-"));
    // The proxies run as uid 1337 and read their pod folders (and the binaries) under this one.
    chmodSync(dir, 0o755);
    const config: DataPlaneConfig = { clusters: args.clusters, istiods: args.istiods, istioBin: args.istioBin, envoyDir: args.envoyDir };
    writeFileSync(path.join(dir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
    const controller = startProcess("dataplane", [process.execPath, CONTROLLER, dir], path.join(dir, "controller.log"));
    writeFileSync(path.join(dir, CONTROLLER_FILE), `${JSON.stringify(controller, null, 2)}\n`);
    try {
        const clusters = args.istiods.map((istiod) => istiod.clusterId);
        const { ingress, gateways } = await waitForDataPlane(dir, `the ingress gateways' Envoys ready in ${clusters.join(", ")}`, READY_TIMEOUT_MS,
            (state) => (state.ingress !== null && clusters.every((cluster) => state.gateways[cluster] !== undefined)
                ? { ingress: state.ingress, gateways: state.gateways } : undefined));
        return { dir, controller, ingress, gateways };
    } catch (err) {
        await stopDataPlane(dir);
        throw err;
    }
}

/** Stops the data plane of a folder and removes the folder; returns what had to be swept up after the controller. */
export async function stopDataPlane(dir: string): Promise<LeftOnHost> {
    try {
        const controller = JSON.parse(readFileSync(path.join(dir, CONTROLLER_FILE), "utf8")) as ProcessRecord;
        await stopProcesses([controller], STOP_GRACE_MS);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
            throw err;
        }
    }
    const left = sweepDataPlane();
    rmSync(dir, { recursive: true, force: true });
    return left;
}

/**
 * Removes every pod namespace, veth and the bridge of a data plane whose controller is gone; nothing
 * while a data plane's controller runs (it is that one's network, and its stop removes it).
 */
export function sweepDataPlane(): LeftOnHost {
    if (liveOwner() !== undefined) {
        return { netns: [], links: [], addresses: [] };
    }
    const swept = sweepHost((pids) => signalPids(pids, "SIGKILL"));
    releaseOwner();
    return swept;
}

/** Sets how each version's apps misbehave (read by every app on its next request); `{}` clears. */
export function setFaults(dir: string, faults: Record<string, Fault>): void {
    const file = path.join(dir, FAULTS_FILE);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(faults)}\n`, { mode: 0o644 });
    // A rename, so an app never reads half a file.
    renameSync(`${file}.tmp`, file);
}
