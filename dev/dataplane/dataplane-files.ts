// What the local data plane's folder holds, shared by the controller that writes it and the commands
// and tests that read it.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { LocalClusterInfo } from "../clusters/local-cluster.ts";
import type { IstiodInfo } from "../istiod/istiod.ts";
import type { DataPlanePod } from "./pods.ts";

/** What the controller is started with. */
export const CONFIG_FILE = "config.json";
/** What it runs now, rewritten (atomically) whenever that changes. */
export const STATE_FILE = "dataplane.json";
/** The controller's own process record, for `stop`. */
export const CONTROLLER_FILE = "controller.json";
/** The faults every workload app reads (workload-app.ts): `{ "<version>": Fault }`. */
export const FAULTS_FILE = "faults.json";
/** Where every workload app answers with the request headers it got (workload-app.ts). */
export const HEADERS_PATH = "/headers";
/**
 * Where every workload app answers with what it was sent: per Host header, how many requests, all
 * but /health and this one (workload-app.ts). Asked from inside the pod, past its sidecar, it shows
 * what reached the app whatever answered the callers, such as a mirror's copies.
 */
export const RECEIVED_PATH = "/received";

/** What a workload app answers on RECEIVED_PATH. */
export interface Received {
    version: string;
    instance: string;
    /** Requests by their Host header. */
    hosts: Record<string, number>;
}
/**
 * Istio's port for xDS and the CA over TLS, where pods find the first istiod on the pod network; the
 * next istiods are on the ports after it (istiodPodPort).
 */
export const ISTIOD_POD_PORT = 15012;

/** Where pods find the `index`th istiod of the data plane's config on the pod network. */
export function istiodPodPort(index: number): number {
    return ISTIOD_POD_PORT + index;
}

export interface DataPlaneConfig {
    clusters: LocalClusterInfo[];
    /**
     * The mesh's istiods: each programs its own cluster's pods and gateway; a cluster with none of
     * its own (a remote cluster) is programmed by the first.
     */
    istiods: IstiodInfo[];
    /** scripts/istio-tools' folder: pilot-agent and Envoy's bootstrap template. */
    istioBin: string;
    /** scripts/envoy's folder. */
    envoyDir: string;
}

export interface PodState extends Pick<DataPlanePod, "cluster" | "namespace" | "name" | "ip" | "role"> {
    netns: string;
    /** Envoy answers ready on its health port. */
    ready: boolean;
    /** The pod's folder: its proxy's and app's logs. */
    dir: string;
    /** The version the app answers with (sidecar pods). */
    version?: string;
}

export interface DataPlaneState {
    controllerPid: number;
    /** The first istiod's cluster's gateway: <gateway pod IP>:8080 once its Envoy is ready, else null. */
    ingress: string | null;
    /** Per cluster with an istiod of its own, its gateway's <pod IP>:8080 once its Envoy is ready. */
    gateways: Record<string, string>;
    pods: PodState[];
}

export function readState(dir: string): DataPlaneState {
    return JSON.parse(readFileSync(path.join(dir, STATE_FILE), "utf8")) as DataPlaneState;
}
