// A real istiod (pilot-discovery, built by scripts/istio-tools) for the local clusters, run as a
// process beside them rather than in a pod: it reads its own cluster through that cluster's
// kubeconfig (its config cluster and cluster ID), signs with the intermediate CA plugged in there as
// the Secret istio-system/cacerts (mesh-ca.ts), and reads every other cluster through a remote
// secret, as a multi-primary mesh's istiod reads its peers. It listens on 127.0.0.1 only, on ports the
// kernel picked; the plaintext xDS port is the one ingress-xds asks.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { freePorts } from "../clusters/free-port.ts";
import { KubeApi, WaitAborted, waitFor } from "../clusters/kube-api.ts";
import type { LocalClusterInfo } from "../clusters/local-cluster.ts";
import { isRunning, logTail, type ProcessRecord, startProcess, stopProcesses } from "../clusters/processes.ts";
import { cacertsSecret, type ClusterCa } from "./mesh-ca.ts";
import { remoteSecret } from "./remote-secret.ts";

/** istiod's own namespace, which holds its CA and the remote secrets (Istio's default). */
export const ISTIO_NAMESPACE = "istio-system";
const FIELD_MANAGER = "local-istiod";
/** The mesh every local istiod serves (Istio's multi-primary install sets values.global.meshID). */
export const MESH_ID = "mesh1";
/** The stats prefix of Envoy's outbound clusters, one per service port and subset. */
export const OUTBOUND_CLUSTER_STATS_PREFIX = "cluster.outbound|";
/**
 * The local data plane runs upstream Envoy (scripts/envoy), which rejects the filters only Istio's
 * proxy build has; an update with one is refused whole, and Envoy keeps its last good config. These
 * switches stop istiod from sending them: istio.metadata_exchange (the peer metadata filters) and
 * istio.alpn. istio.stats is sent only where a metrics provider is configured, and none is here.
 */
const UPSTREAM_ENVOY_ENV = { PILOT_ENABLE_METADATA_EXCHANGE: "false", PILOT_ENABLE_ALPN_FILTER: "false" };
/**
 * Where istiod keeps its plugged-in CA: in a pod the cacerts Secret is mounted at /etc/cacerts; here
 * USE_REMOTE_CERTS has istiod copy the Secret from its config cluster into this folder of its own.
 */
const CACERTS_DIR = "cacerts";
const READY_TIMEOUT_MS = 60_000;

export interface IstiodInfo {
    /** The cluster istiod runs "in" (its --clusterID and kubeconfig). */
    clusterId: string;
    /** The other clusters, read through remote secrets. */
    remoteClusterIds: string[];
    /** 127.0.0.1:<port>: plaintext xDS, what ingress-xds asks. */
    xds: string;
    /**
     * 127.0.0.1:<port>: xDS and the CA over TLS with istiod's certificate (Istio's 15012), what a
     * proxy's agent calls discoveryAddress; the local data plane forwards its pods there.
     */
    secureXds: string;
    /** The mesh config file istiod reads; its defaultConfig is what injection gives every proxy. */
    meshConfig: string;
    /** http://127.0.0.1:<port>: /ready and istiod's debug endpoints. */
    http: string;
    /** The mesh's root certificate, PEM, which istiod's CA chains to: what its proxies trust. */
    rootCert: string;
    process: ProcessRecord;
}

export interface StartIstiodArgs {
    /** Where pilot-discovery is (scripts/istio-tools). */
    binDir: string;
    /** The mesh's clusters. */
    clusters: LocalClusterInfo[];
    /** The one istiod runs for: its config cluster and cluster ID. Defaults to the first of `clusters`. */
    cluster?: string;
    /** Its cluster's intermediate CA under the mesh's root (mesh-ca.ts), applied as istio-system/cacerts. */
    ca: ClusterCa;
    /** A folder for its mesh config, CA files and log. */
    dir: string;
}

export async function startIstiod(args: StartIstiodArgs): Promise<IstiodInfo> {
    const primary = args.cluster === undefined ? args.clusters[0] : args.clusters.find((c) => c.name === args.cluster);
    if (primary === undefined) {
        throw new Error(args.cluster === undefined ? "istiod needs at least one cluster" : `istiod's cluster ${args.cluster} is not one of the clusters`);
    }
    const remotes = args.clusters.filter((c) => c !== primary);
    const api = new KubeApi(primary);
    try {
        await api.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: ISTIO_NAMESPACE } }, FIELD_MANAGER);
        await api.apply(cacertsSecret(args.ca, ISTIO_NAMESPACE), FIELD_MANAGER);
        for (const remote of remotes) {
            await api.apply(remoteSecret({
                clusterId: remote.name,
                kubeconfig: readFileSync(remote.kubeconfig, "utf8"),
                namespace: ISTIO_NAMESPACE,
            }), FIELD_MANAGER);
        }
    } finally {
        api.close();
    }

    const [httpPort, grpcPort, secureGrpcPort, webhookPort, monitoringPort, ctrlzPort] = await freePorts(6) as [number, number, number, number, number, number];
    const meshConfig = path.join(args.dir, "mesh.yaml");
    writeFileSync(meshConfig, stringify({
        rootNamespace: ISTIO_NAMESPACE,
        trustDomain: "cluster.local",
        defaultConfig: {
            discoveryAddress: `127.0.0.1:${grpcPort}`,
            meshId: MESH_ID,
            // Each upstream cluster's request counts and times (outbound|<port>|<subset>|<host>):
            // what the rollout reads where upstream Envoy has no istio_requests_total. Istio's
            // bootstrap leaves them out of Envoy's stats unless the proxy config asks for them.
            proxyStatsMatcher: { inclusionPrefixes: [OUTBOUND_CLUSTER_STATS_PREFIX] },
        },
    }));
    const local = (port: number) => `127.0.0.1:${port}`;
    const istiod = startProcess("istiod", [path.join(args.binDir, "pilot-discovery"), "discovery",
        `--kubeconfig=${primary.kubeconfig}`, `--clusterID=${primary.name}`, `--meshConfig=${meshConfig}`,
        `--namespace=${ISTIO_NAMESPACE}`, `--clusterRegistriesNamespace=${ISTIO_NAMESPACE}`,
        `--httpAddr=${local(httpPort)}`, `--grpcAddr=${local(grpcPort)}`, `--secureGRPCAddr=${local(secureGrpcPort)}`,
        `--httpsAddr=${local(webhookPort)}`, `--monitoringAddr=${local(monitoringPort)}`,
        "--ctrlz_address=127.0.0.1", `--ctrlz_port=${ctrlzPort}`,
        "--log_output_level=default:info"], path.join(args.dir, "istiod.log"), {
        env: { ...process.env, ...UPSTREAM_ENVOY_ENV, USE_REMOTE_CERTS: "true", ROOT_CA_DIR: path.join(args.dir, CACERTS_DIR) },
    });
    const info: IstiodInfo = {
        clusterId: primary.name,
        remoteClusterIds: remotes.map((r) => r.name),
        xds: local(grpcPort),
        secureXds: local(secureGrpcPort),
        meshConfig,
        http: `http://${local(httpPort)}`,
        rootCert: args.ca.rootCert,
        process: istiod,
    };
    try {
        await waitFor(`istiod ready (${info.http}/ready)`, READY_TIMEOUT_MS, async () => {
            if (!isRunning(istiod)) {
                throw new WaitAborted(`istiod exited; the end of ${istiod.log}:\n${logTail(istiod, 30)}`);
            }
            const res = await fetch(`${info.http}/ready`);
            return res.ok ? true : undefined;
        });
        return info;
    } catch (err) {
        await stopProcesses([istiod]);
        throw err;
    }
}

export async function stopIstiod(info: IstiodInfo): Promise<void> {
    await stopProcesses([info.process]);
}
