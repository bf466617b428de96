// One local Kubernetes cluster from real components: etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler, and kwok in place of kubelets (it keeps a fake node Ready and takes pods through
// ready/complete/delete, so Deployments become Available and pods get IPs from the node's pod CIDR).
// Everything listens on 127.0.0.1 on ports the kernel picked; its data lives in one folder.
import { mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { makeCertificates } from "./certificates.ts";
import { KubeApi, type KubeObject, WaitAborted, waitFor } from "./kube-api.ts";
import { writeKubeconfig } from "./kubeconfig.ts";
import { isRunning, logTail, type ProcessRecord, startProcess, stopProcesses } from "./processes.ts";

/** What a started cluster is: written to clusters.json by `scripts/clusters start` (see README). */
export interface LocalClusterInfo {
    /** `mdemo-cluster<N>`: the kubeconfig context's name, as the dev stack names its clusters. */
    name: string;
    /** A kubeconfig with this one context, certificates embedded. */
    kubeconfig: string;
    /** https://127.0.0.1:<port> */
    server: string;
    /** The fake node's name and pod CIDR (every cluster its own, so pod IPs never collide). */
    node: string;
    podCIDR: string;
    serviceCIDR: string;
    /** PEM files: the cluster's CA and the admin client certificate (group system:masters). */
    caCert: string;
    clientCert: string;
    clientKey: string;
    /** The cluster's folder: certificates, etcd's data, the components' logs. */
    dir: string;
    /** etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok, in start order. */
    processes: ProcessRecord[];
}

/** The service CIDR every cluster uses (as kubeadm does): Services are per cluster, never routed between. */
export const SERVICE_CIDR = "10.96.0.0/16";
/**
 * The range every cluster's pod CIDR lies in (podCIDROf): one flat network, as Istio's multi-primary
 * mesh on a single network expects, so a pod of one cluster reaches a pod of another by its IP.
 */
export const POD_NETWORK = "10.244.0.0/16";
/** The host's own address on the pod network (index 0, which no cluster has): where pods reach the host. */
export const POD_NETWORK_HOST_ADDRESS = "10.244.0.1";
/** Where the fake node is told its pods live: one /24 per cluster, 10.244.<N>.0/24. */
export function podCIDROf(index: number): string {
    if (!Number.isInteger(index) || index < 1 || index > 254) {
        throw new Error(`cluster index ${index}: must be a whole number from 1 to 254`);
    }
    return `10.244.${index}.0/24`;
}

export function clusterName(index: number): string {
    return `mdemo-cluster${index}`;
}

/** The annotation kwok selects its nodes by; no other node of the cluster is kwok's to manage. */
const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";
/** kwok renews the node's Lease this often (and the controller-manager needs one within ~50 s). */
const NODE_LEASE_SECONDS = 40;
const FIELD_MANAGER = "local-clusters";
const READY_TIMEOUT_MS = 120_000;

export interface StartClusterArgs {
    /** 1-based: the cluster is `mdemo-cluster<index>` with pod CIDR 10.244.<index>.0/24. */
    index: number;
    /** The parent folder; the cluster gets `<root>/<name>`. */
    root: string;
    /** Where etcd, kube-apiserver, ... and kwok-stages/ are (scripts/cluster-binaries). */
    binDir: string;
    /** CRDs to serve before the cluster is handed out (Istio's). */
    crds: KubeObject[];
    /** Five free ports (see freePorts()): etcd's client and peer ports, the API server's, the controller-manager's and the scheduler's. */
    ports: number[];
}

/** How many ports startLocalCluster() needs. */
export const PORTS_PER_CLUSTER = 5;

export async function startLocalCluster(args: StartClusterArgs): Promise<LocalClusterInfo> {
    const name = clusterName(args.index);
    const dir = path.join(args.root, name);
    mkdirSync(dir, { recursive: true });
    const certs = makeCertificates(path.join(dir, "pki"), name);
    if (args.ports.length !== PORTS_PER_CLUSTER) {
        throw new Error(`${name}: ${PORTS_PER_CLUSTER} ports needed, ${args.ports.length} given`);
    }
    const [etcdClient, etcdPeer, apiPort, controllerManagerPort, schedulerPort] = args.ports as [number, number, number, number, number];
    const server = `https://127.0.0.1:${apiPort}`;
    const kubeconfig = path.join(dir, "kubeconfig");
    writeKubeconfig(kubeconfig, { name, server, caCert: certs.caCert, clientCert: certs.adminCert, clientKey: certs.adminKey });
    const info: LocalClusterInfo = {
        name,
        kubeconfig,
        server,
        node: `${name}-node`,
        podCIDR: podCIDROf(args.index),
        serviceCIDR: SERVICE_CIDR,
        caCert: certs.caCert,
        clientCert: certs.adminCert,
        clientKey: certs.adminKey,
        dir,
        processes: [],
    };
    const bin = (file: string) => path.join(args.binDir, file);
    const start = (component: string, command: string[]) => {
        info.processes.push(startProcess(component, command, path.join(dir, `${component}.log`)));
    };
    const api = new KubeApi(info);
    try {
        const etcdUrl = `http://127.0.0.1:${etcdClient}`;
        const peerUrl = `http://127.0.0.1:${etcdPeer}`;
        start("etcd", [bin("etcd"),
            `--name=${name}`, `--data-dir=${path.join(dir, "etcd")}`,
            `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
            `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`,
            `--initial-cluster=${name}=${peerUrl}`,
            // A throwaway cluster's data need not survive a power cut; fsync costs seconds on a busy disk.
            "--unsafe-no-fsync", "--log-level=warn"]);
        start("kube-apiserver", [bin("kube-apiserver"),
            `--etcd-servers=${etcdUrl}`,
            "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", `--secure-port=${apiPort}`,
            `--cert-dir=${path.join(dir, "kube-apiserver")}`,
            `--tls-cert-file=${certs.serverCert}`, `--tls-private-key-file=${certs.serverKey}`,
            `--client-ca-file=${certs.caCert}`,
            "--authorization-mode=RBAC",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            `--service-account-key-file=${certs.serviceAccountPublicKey}`,
            `--service-account-signing-key-file=${certs.serviceAccountKey}`,
            `--service-cluster-ip-range=${SERVICE_CIDR}`,
            // The default reconciler publishes the advertise address as the `kubernetes` Service's
            // endpoint and refuses a loopback one; no pod here needs to reach the API server that way.
            "--endpoint-reconciler-type=none",
            // Flow control's bookkeeping costs CPU and memory that one user's cluster does not need.
            "--enable-priority-and-fairness=false",
            "--profiling=false"]);
        await waitForApiServer(info, api);

        for (const crd of args.crds) {
            await api.apply(crd, FIELD_MANAGER);
        }
        await api.apply(fakeNode(info), FIELD_MANAGER);

        const componentFlags = (component: string, port: number) => [
            `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
            "--bind-address=127.0.0.1", `--secure-port=${port}`, `--cert-dir=${path.join(dir, component)}`,
            "--leader-elect=false", "--profiling=false",
        ];
        start("kube-controller-manager", [bin("kube-controller-manager"),
            ...componentFlags("kube-controller-manager", controllerManagerPort),
            `--service-account-private-key-file=${certs.serviceAccountKey}`, `--root-ca-file=${certs.caCert}`]);
        start("kube-scheduler", [bin("kube-scheduler"), ...componentFlags("kube-scheduler", schedulerPort)]);
        const stagesDir = bin("kwok-stages");
        start("kwok", [bin("kwok"),
            `--kubeconfig=${kubeconfig}`,
            ...readdirSync(stagesDir).sort().map((file) => `--config=${path.join(stagesDir, file)}`),
            `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
            `--node-lease-duration-seconds=${NODE_LEASE_SECONDS}`,
            `--cidr=${info.podCIDR}`, `--node-ip=127.0.0.${args.index + 1}`]);

        await Promise.all([
            ...args.crds.map((crd) => waitFor(`${name}: CRD ${crd.metadata.name} established`, READY_TIMEOUT_MS, async () => {
                assertRunning(info);
                const served = await api.get<{ status?: { conditions?: { type: string; status: string }[] } }>(
                    `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
                return served.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ? true : undefined;
            })),
            waitFor(`${name}: node ${info.node} Ready (kwok)`, READY_TIMEOUT_MS, async () => {
                assertRunning(info);
                const node = await api.get<{ status?: { conditions?: { type: string; status: string }[] } }>(`/api/v1/nodes/${info.node}`);
                return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ? true : undefined;
            }),
            // Pods are refused until their namespace's `default` ServiceAccount exists: the
            // controller-manager makes it, so its existence in `default` says the controllers run.
            waitFor(`${name}: ServiceAccount default/default (kube-controller-manager)`, READY_TIMEOUT_MS, async () => {
                assertRunning(info);
                return api.find("/api/v1/namespaces/default/serviceaccounts/default");
            }),
        ]);
        return info;
    } catch (err) {
        await stopProcesses(info.processes);
        throw err;
    } finally {
        api.close();
    }
}

/** Fails the wait at once, with the log's tail, when one of the cluster's processes has exited. */
function assertRunning(info: LocalClusterInfo): void {
    const exited = info.processes.find((p) => !isRunning(p));
    if (exited !== undefined) {
        throw new WaitAborted(`${info.name}: ${exited.name} exited; the end of ${exited.log}:\n${logTail(exited)}`);
    }
}

function fakeNode(info: LocalClusterInfo): KubeObject {
    return {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
            name: info.node,
            annotations: { [KWOK_NODE_ANNOTATION]: "fake" },
            labels: { "kubernetes.io/hostname": info.node, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", type: "kwok" },
        },
        spec: { podCIDR: info.podCIDR, podCIDRs: [info.podCIDR] },
    };
}

/** Stops a cluster's processes (by pid); its folder stays (see stopLocalClusters). */
export async function stopLocalCluster(info: LocalClusterInfo): Promise<void> {
    await stopProcesses([...info.processes].reverse());
}

/** Waits for the API server's /readyz, failing at once when one of the cluster's processes exits. */
export async function waitForApiServer(info: LocalClusterInfo, api: KubeApi): Promise<void> {
    await waitFor(`${info.name}'s API server (${info.server}/readyz)`, READY_TIMEOUT_MS, async () => {
        assertRunning(info);
        return api.call("GET", "/readyz");
    });
}

function apiServerOf(info: LocalClusterInfo): ProcessRecord {
    const record = info.processes.find((p) => p.name === "kube-apiserver");
    if (record === undefined) {
        throw new Error(`${info.name} has no kube-apiserver process`);
    }
    return record;
}

/** Takes a cluster's API server down: the cluster is unreachable, etcd keeps its data. */
export async function stopApiServer(info: LocalClusterInfo): Promise<void> {
    await stopProcesses([apiServerOf(info)]);
}

/**
 * Starts the API server again with its first command (same port, same data) and waits until it is
 * ready. The record's pid is updated in place: write clusters.json again if another process reads it.
 */
export async function restartApiServer(info: LocalClusterInfo): Promise<void> {
    const record = apiServerOf(info);
    record.pid = startProcess(record.name, record.command, record.log).pid;
    const api = new KubeApi(info);
    try {
        await waitForApiServer(info, api);
    } finally {
        api.close();
    }
}
