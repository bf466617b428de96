// Starts and stops one pod of the local data plane, as a kubelet with Istio's injection would: a
// network namespace with the pod IP (host-network.ts), a folder standing in for the container's
// files, Istio's own traffic redirection (pilot-agent istio-iptables, istio-init's arguments), the
// app, and `pilot-agent proxy` as uid 1337, which starts Envoy. A gateway pod gets only the proxy, in
// router mode. Everything a pod runs stays in its namespace, which is how it is stopped: every pid
// in the namespace, by id.
import { spawn } from "node:child_process";
import { chownSync, closeSync, mkdirSync, openSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { signalPids } from "../clusters/processes.ts";
import { createPodNetwork, netnsPids, removePodNetwork, run } from "./host-network.ts";
import type { DataPlanePod } from "./pods.ts";
import {
    downwardApiFile, HEALTH_PORT, interceptionArgs, podFile, podFolderLayout, PROXY_UID, proxyArgs,
    proxyConfig, proxyEnvironment, type ProxyInputs,
} from "./proxy.ts";

const WORKLOAD_APP = fileURLToPath(new URL("./workload-app.ts", import.meta.url));
const STOP_GRACE_MS = 3_000;

/** What a pod is given to reach the istiod that programs its cluster. */
export interface PodControlPlane {
    proxy: ProxyInputs;
    /** The mesh's root certificate, PEM: what the proxy checks istiod and its peers against. */
    rootCert: string;
}

export interface PodRuntime {
    /** Where each pod's folder goes: <podsDir>/<cluster>/<namespace>/<name>. */
    podsDir: string;
    /** pilot-agent, readable and runnable by the proxy's uid. */
    pilotAgent: string;
    /** The Node.js that runs the workload app. */
    node: string;
    /** The faults file every app reads (workload-app.ts). */
    faultsFile: string;
    /** The control plane of a pod's cluster (in a multi-primary mesh, each cluster has its own istiod). */
    controlPlane(cluster: string): PodControlPlane;
    /** A token of the pod's service account for istiod (audience istio-ca), bound to the pod. */
    token(pod: DataPlanePod): Promise<string>;
}

export interface RunningPod {
    pod: DataPlanePod;
    netns: string;
    dir: string;
}

/** Runs a command inside the namespace, detached, its output appended to `log`; optionally as `uid`. */
function spawnInNetns(netns: string, command: string[], options: { log: string; cwd: string; env: NodeJS.ProcessEnv; uid?: number }): void {
    const asUser = options.uid === undefined ? [] : ["setpriv", `--reuid=${options.uid}`, `--regid=${options.uid}`, "--clear-groups", "--"];
    const out = openSync(options.log, "a");
    try {
        const child = spawn("ip", ["netns", "exec", netns, ...asUser, ...command], {
            detached: true, stdio: ["ignore", out, out], cwd: options.cwd, env: options.env,
        });
        // A failure after the start shows as a pod that never gets ready, with its log.
        child.on("error", () => undefined);
        child.unref();
    } finally {
        closeSync(out);
    }
}

function chownTree(dir: string, uid: number): void {
    chownSync(dir, uid, uid);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            chownTree(full, uid);
        } else {
            chownSync(full, uid, uid);
        }
    }
}

/** The token file is rewritten in place, as the kubelet rotates a projected token. */
export async function writeToken(runtime: PodRuntime, running: RunningPod): Promise<void> {
    const file = podFile(running.dir, "token");
    writeFileSync(file, await runtime.token(running.pod), { mode: 0o644 });
    chownSync(file, PROXY_UID, PROXY_UID);
}

export async function startPod(runtime: PodRuntime, pod: DataPlanePod): Promise<RunningPod> {
    const dir = path.join(runtime.podsDir, pod.cluster, pod.namespace, pod.name);
    for (const file of Object.values(podFolderLayout)) {
        if (!file.endsWith(".log")) {
            mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        }
    }
    mkdirSync(podFile(dir, "proxyConfig"), { recursive: true });
    const controlPlane = runtime.controlPlane(pod.cluster);
    writeFileSync(podFile(dir, "rootCert"), controlPlane.rootCert);
    writeFileSync(podFile(dir, "labels"), downwardApiFile(pod.labels));
    writeFileSync(podFile(dir, "annotations"), "");
    chownTree(dir, PROXY_UID);
    const netns = createPodNetwork(pod.ip);
    const running: RunningPod = { pod, netns, dir };
    try {
        await writeToken(runtime, running);
        const env = { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", HOME: dir };
        if (pod.role === "sidecar") {
            run("ip", ["netns", "exec", netns, runtime.pilotAgent, ...interceptionArgs()]);
        }
        if (pod.app !== undefined) {
            spawnInNetns(netns, [runtime.node, WORKLOAD_APP, "--version", pod.app.version, "--instance", pod.name,
                "--port", String(pod.app.port), "--faults", runtime.faultsFile], { log: podFile(dir, "appLog"), cwd: dir, env });
        }
        spawnInNetns(netns, [runtime.pilotAgent, ...proxyArgs(pod)], {
            log: podFile(dir, "log"), cwd: dir, uid: PROXY_UID,
            env: { ...env, ...proxyEnvironment(pod, proxyConfig(controlPlane.proxy)) },
        });
        return running;
    } catch (err) {
        await stopPod(running);
        throw err;
    }
}

/** Whether the pod's Envoy says it is ready (its health port, reached over the pod network). */
export async function isPodReady(pod: DataPlanePod): Promise<boolean> {
    try {
        const res = await fetch(`http://${pod.ip}:${HEALTH_PORT}/healthz/ready`, { signal: AbortSignal.timeout(1_000) });
        await res.body?.cancel();
        return res.ok;
    } catch {
        return false;
    }
}

/** SIGTERM to every process of the namespace, SIGKILL to what is left after a grace, then the namespace goes. */
export async function stopPod(running: RunningPod): Promise<void> {
    signalPids(netnsPids(running.netns), "SIGTERM");
    const deadline = Date.now() + STOP_GRACE_MS;
    while (netnsPids(running.netns).length > 0 && Date.now() < deadline) {
        await sleep(50);
    }
    for (let left = netnsPids(running.netns); left.length > 0; left = netnsPids(running.netns)) {
        signalPids(left, "SIGKILL");
        await sleep(50);
    }
    removePodNetwork(running.pod.ip);
}
