// The local data plane's controller: one long-running process that does what kubelets and Istio's
// injection do in a real cluster. It polls every cluster's pods and keeps one running pod
// (pod-runtime.ts) per pod the API servers show in the mesh, starting pods that appear (a scale-up,
// a new version), stopping pods that go (a retirement). It also runs an ingress gateway's pod in each
// istiod's cluster and forwards, per istiod, an address of the pod network to that istiod on the
// host: each pod's proxy asks its own cluster's istiod, as in a multi-primary mesh.
//
// Started detached by dataplane-folder.ts (`node dev/dataplane/controller.ts <folder>`); reads
// <folder>/config.json, keeps <folder>/dataplane.json up to date (its pods, their readiness, the
// ingress address), and on SIGTERM stops every pod and removes the bridge before it exits.
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, connect, type Server } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parse } from "yaml";
import { KubeApi } from "../clusters/kube-api.ts";
import { POD_NETWORK_HOST_ADDRESS } from "../clusters/local-cluster.ts";
import { ingressGatewayObjects } from "../istiod/ingress-gateway.ts";
import { istiodOf } from "../istiod/primaries.ts";
import { createBridge, removeBridge } from "./host-network.ts";
import { liveOwner, recordOwner, releaseOwner } from "./owner.ts";
import { CONFIG_FILE, type DataPlaneConfig, type DataPlaneState, FAULTS_FILE, istiodPodPort, type PodState, STATE_FILE } from "./dataplane-files.ts";
import { type DataPlanePod, dataPlanePods, podKey } from "./pods.ts";
import { isPodReady, type PodControlPlane, type PodRuntime, type RunningPod, startPod, stopPod, writeToken } from "./pod-runtime.ts";
import { GATEWAY_HTTP_PORT, PROXY_UID } from "./proxy.ts";

const POLL_MS = 200;
const RETRY_FAILED_START_MS = 2_000;
/** Tokens are asked for two hours and rewritten every half hour, as the kubelet rotates them early. */
const TOKEN_SECONDS = 7_200;
const TOKEN_REFRESH_MS = 30 * 60_000;
const FIELD_MANAGER = "local-dataplane";

const dir = path.resolve(process.argv[2] ?? "");
const config = JSON.parse(readFileSync(path.join(dir, CONFIG_FILE), "utf8")) as DataPlaneConfig;
const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

/** A copy (a hard link where it can be) under the folder: the proxy's uid cannot reach ~/.cache under /root. */
function placeForProxy(file: string, binDir: string): string {
    const target = path.join(binDir, path.basename(file));
    try {
        linkSync(file, target);
    } catch {
        copyFileSync(file, target);
    }
    return target;
}

/** Forwards an istiod address of the pod network to that istiod's TLS port on 127.0.0.1, byte for byte. */
function forwardToIstiod(target: string, podPort: number): Promise<Server> {
    const [host, port] = [target.slice(0, target.lastIndexOf(":")), Number(target.slice(target.lastIndexOf(":") + 1))];
    const server = createServer((inbound) => {
        const outbound = connect(port, host);
        inbound.pipe(outbound).pipe(inbound);
        inbound.on("error", () => outbound.destroy());
        outbound.on("error", () => inbound.destroy());
    });
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(podPort, POD_NETWORK_HOST_ADDRESS, () => resolve(server));
    });
}

const apis = new Map(config.clusters.map((cluster) => [cluster.name, new KubeApi(cluster)]));
function apiOf(cluster: string): KubeApi {
    const api = apis.get(cluster);
    if (api === undefined) {
        throw new Error(`no cluster ${cluster}`);
    }
    return api;
}

async function requestToken(pod: DataPlanePod): Promise<string> {
    const answer = await apiOf(pod.cluster).call("POST",
        `/api/v1/namespaces/${pod.namespace}/serviceaccounts/${pod.serviceAccount}/token`, {
            apiVersion: "authentication.k8s.io/v1",
            kind: "TokenRequest",
            spec: {
                audiences: ["istio-ca"],
                expirationSeconds: TOKEN_SECONDS,
                boundObjectRef: { apiVersion: "v1", kind: "Pod", name: pod.name, uid: pod.uid },
            },
        });
    return (JSON.parse(answer) as { status: { token: string } }).status.token;
}

interface Tracked extends RunningPod {
    ready: boolean;
    tokenWritten: number;
}

const running = new Map<string, Tracked>();
const starting = new Set<string>();
const failedAt = new Map<string, number>();
let stopping = false;

function writeState(): void {
    const pods: PodState[] = [...running.values()].map((r) => ({
        cluster: r.pod.cluster, namespace: r.pod.namespace, name: r.pod.name, ip: r.pod.ip, netns: r.netns,
        role: r.pod.role, ready: r.ready, dir: r.dir, ...(r.pod.app === undefined ? {} : { version: r.pod.app.version }),
    })).sort((a, b) => `${a.cluster}/${a.namespace}/${a.name}`.localeCompare(`${b.cluster}/${b.namespace}/${b.name}`));
    // One gateway a cluster: the first ready one answers for it.
    const gateways: Record<string, string> = {};
    for (const gateway of pods.filter((p) => p.role === "gateway" && p.ready)) {
        gateways[gateway.cluster] ??= `${gateway.ip}:${GATEWAY_HTTP_PORT}`;
    }
    const state: DataPlaneState = {
        controllerPid: process.pid,
        ingress: gateways[config.istiods[0]?.clusterId ?? ""] ?? null,
        gateways,
        pods,
    };
    const file = path.join(dir, STATE_FILE);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
}

async function desiredPods(): Promise<Map<string, DataPlanePod>> {
    const desired = new Map<string, DataPlanePod>();
    await Promise.all(config.clusters.map(async (cluster) => {
        const api = apiOf(cluster.name);
        const [namespaces, pods] = await Promise.all([api.list("/api/v1/namespaces"), api.list("/api/v1/pods")]);
        for (const pod of dataPlanePods(cluster.name, namespaces, pods)) {
            desired.set(podKey(pod), pod);
        }
    }));
    return desired;
}

async function follow(runtime: PodRuntime): Promise<void> {
    while (!stopping) {
        // A folder removed under it (its starter killed before it could stop it) ends it too.
        if (!existsSync(path.join(dir, CONFIG_FILE))) {
            log("its folder is gone: stopping every pod");
            process.kill(process.pid, "SIGTERM");
            return;
        }
        let changed = false;
        try {
            const desired = await desiredPods();
            // Stops first: a new pod may have the IP of one that just went.
            for (const [key, tracked] of running) {
                if (!desired.has(key)) {
                    running.delete(key);
                    log(`stopping ${key} (${tracked.pod.ip})`);
                    await stopPod(tracked);
                    changed = true;
                }
            }
            for (const [key, pod] of desired) {
                if (running.has(key) || starting.has(key) || Date.now() - (failedAt.get(key) ?? 0) < RETRY_FAILED_START_MS) {
                    continue;
                }
                starting.add(key);
                log(`starting ${key} (${pod.ip}, ${pod.role}${pod.app === undefined ? "" : `, ${pod.app.version}`})`);
                startPod(runtime, pod).then((started) => {
                    if (stopping || !starting.has(key)) {
                        return stopPod(started);
                    }
                    running.set(key, { ...started, ready: false, tokenWritten: Date.now() });
                    writeState();
                    return undefined;
                }).catch((err: unknown) => {
                    failedAt.set(key, Date.now());
                    log(`could not start ${key}: ${(err as Error).message}`);
                }).finally(() => starting.delete(key));
            }
            for (const tracked of running.values()) {
                if (!tracked.ready && await isPodReady(tracked.pod)) {
                    tracked.ready = true;
                    log(`ready ${podKey(tracked.pod)}`);
                    changed = true;
                }
                if (Date.now() - tracked.tokenWritten > TOKEN_REFRESH_MS) {
                    await writeToken(runtime, tracked);
                    tracked.tokenWritten = Date.now();
                }
            }
        } catch (err) {
            log(`poll failed: ${(err as Error).message}`);
        }
        if (changed) {
            writeState();
        }
        await sleep(POLL_MS);
    }
}

async function main(): Promise<void> {
    const binDir = path.join(dir, "bin");
    mkdirSync(binDir, { recursive: true });
    const pilotAgent = placeForProxy(path.join(config.istioBin, "pilot-agent"), binDir);
    const envoyBinary = placeForProxy(path.join(config.envoyDir, "envoy"), binDir);
    const bootstrapTemplate = placeForProxy(path.join(config.istioBin, "envoy_bootstrap_tmpl.json"), binDir);
    const faultsFile = path.join(dir, FAULTS_FILE);
    writeFileSync(faultsFile, "{}\n", { mode: 0o644 });

    createBridge(liveOwner()?.dir);
    recordOwner({ pid: process.pid, dir });
    const forwarders: Server[] = [];
    const stopAll = async () => {
        stopping = true;
        starting.clear();
        await Promise.all([...running.values()].map((tracked) => stopPod(tracked)));
        running.clear();
        forwarders.forEach((forwarder) => forwarder.close());
        removeBridge();
        releaseOwner();
        for (const api of apis.values()) {
            api.close();
        }
    };
    process.once("SIGTERM", () => {
        log("SIGTERM: stopping every pod");
        void stopAll().then(() => process.exit(0));
    });
    try {
        const controlPlanes = new Map<string, PodControlPlane>();
        for (const [index, istiod] of config.istiods.entries()) {
            forwarders.push(await forwardToIstiod(istiod.secureXds, istiodPodPort(index)));
            for (const object of ingressGatewayObjects()) {
                await apiOf(istiod.clusterId).apply(object, FIELD_MANAGER);
            }
            const mesh = parse(readFileSync(istiod.meshConfig, "utf8")) as { defaultConfig?: Record<string, unknown> };
            controlPlanes.set(istiod.clusterId, {
                rootCert: istiod.rootCert,
                proxy: {
                    meshDefaultConfig: mesh.defaultConfig ?? {},
                    discoveryAddress: `${POD_NETWORK_HOST_ADDRESS}:${istiodPodPort(index)}`,
                    envoyBinary,
                    bootstrapTemplate,
                },
            });
        }
        const runtime: PodRuntime = {
            podsDir: path.join(dir, "pods"),
            pilotAgent,
            node: process.execPath,
            faultsFile,
            token: requestToken,
            controlPlane(cluster) {
                const controlPlane = controlPlanes.get(istiodOf(config.istiods, cluster).clusterId);
                if (controlPlane === undefined) {
                    throw new Error(`no control plane for ${cluster}`);
                }
                return controlPlane;
            },
        };
        log(`following ${config.clusters.map((c) => c.name).join(", ")}; proxies run as uid ${PROXY_UID}; ` +
            `istiod ${config.istiods.map((istiod, index) => `${istiod.clusterId} on ${POD_NETWORK_HOST_ADDRESS}:${istiodPodPort(index)}`).join(", ")}`);
        writeState();
        await follow(runtime);
    } catch (err) {
        log(`failed: ${(err as Error).stack ?? String(err)}`);
        await stopAll();
        process.exit(1);
    }
}

await main();
