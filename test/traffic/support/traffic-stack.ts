// The traffic tests' data plane and stacks. Each file starts a data plane of its own (useDataPlane)
// and applies the dev stack's config (in a namespace of its own, on a stack named `dev` so that
// `verify --stack dev` reads its weights) with the real engine to the suite's two clusters.
import { afterAll, beforeAll, inject } from "vitest";
import { liveStackConfig } from "../../../dev/stacks/live-stack.ts";
import { CONFIG_NAMESPACE } from "../../../config/index.ts";
import { PulumiWorkspace } from "../../../dev/engine/workspace.ts";
import { KubeApi, waitFor, waitUntil } from "../../../dev/clusters/kube-api.ts";
import { burst } from "../../../dev/traffic/requests.ts";
import { type DataPlaneState, type PodState, readState } from "../../../dev/dataplane/dataplane-files.ts";
import { startDataPlane, type StartedDataPlane, stopDataPlane } from "../../../dev/dataplane/dataplane-folder.ts";
import { leftOnHost } from "../../../dev/dataplane/host-network.ts";

export { liveStackConfig, routeWeights } from "../../../dev/stacks/live-stack.ts";

export const STACK = "dev";

/**
 * The dev stack's `clusters` with some given weights of their own (a wave), as an override for
 * useTrafficStack or liveStackConfig; the other clusters as the dev stack has them.
 */
export function devClustersWithWeights(weights: Record<string, Record<string, number>>): Record<string, unknown> {
    const clusters = liveStackConfig("unused")[`${CONFIG_NAMESPACE}:clusters`] as Record<string, Record<string, unknown>>;
    for (const name of Object.keys(weights)) {
        if (clusters[name] === undefined) {
            throw new Error(`the dev stack has no cluster ${name}: it has ${Object.keys(clusters).join(", ")}`);
        }
    }
    return Object.fromEntries(Object.entries(clusters).map(([name, cluster]) => [name, weights[name] === undefined ? cluster : { ...cluster, weights: weights[name] }]));
}

const READY_TIMEOUT_MS = 90_000;

export function trafficWorkspace(config: Record<string, unknown>): PulumiWorkspace {
    const clusters = inject("localClusters");
    return new PulumiWorkspace({ engineBin: inject("engineBin"), config, stack: STACK, env: { KUBECONFIG: clusters.kubeconfig } });
}

let dataPlane: StartedDataPlane | undefined;

/**
 * Starts the file's data plane before its other hooks and stops it after them (vitest runs after-
 * hooks in reverse), failing the file if its namespaces, veths, bridge or address outlive it.
 */
export function useDataPlane(): void {
    beforeAll(async () => {
        dataPlane = await startDataPlane({
            clusters: inject("localClusters").clusters, istiods: inject("istiods"), istioBin: inject("istioBin"), envoyDir: inject("envoyDir"),
        });
    });
    afterAll(async () => {
        if (dataPlane === undefined) {
            return;
        }
        const { dir } = dataPlane;
        dataPlane = undefined;
        const swept = await stopDataPlane(dir);
        const left = leftOnHost();
        if ([...swept.netns, ...swept.links, ...left.netns, ...left.links, ...left.addresses].length > 0) {
            throw new Error(`the data plane left on the host: ${JSON.stringify({ swept, left })}`);
        }
    });
}

function current(): StartedDataPlane {
    if (dataPlane === undefined) {
        throw new Error("no data plane: call useDataPlane() in the file");
    }
    return dataPlane;
}

export function dataPlaneDir(): string {
    return current().dir;
}

/** The URL users reach the sample at, through the ingress gateway of mdemo-cluster1 (the first istiod's cluster). */
export function helloUrl(path = "/hello"): string {
    return `http://${current().ingress}${path}`;
}

/** The URL of the sample through `cluster`'s own ingress gateway, which that cluster's istiod programs. */
export function gatewayUrl(cluster: string, path = "/hello"): string {
    const address = current().gateways[cluster];
    if (address === undefined) {
        throw new Error(`no gateway in ${cluster}: the data plane runs gateways in ${Object.keys(current().gateways).join(", ")}`);
    }
    return `http://${address}${path}`;
}

/**
 * Waits until every answer at `url` comes from `version`: `pulumi up` returns once the API servers
 * hold the route, and the gateway follows when istiod pushes it. A test that changes faults next
 * must not count a request the old route still sent elsewhere.
 */
export async function servedBy(version: string, url = helloUrl()): Promise<void> {
    await waitFor(`${url} answered by ${version} alone`, 30_000, async () =>
        ([...(await burst(url, 20)).versions.keys()].join() === version ? true : undefined));
}

export function dataPlaneState(): DataPlaneState {
    return readState(current().dir);
}

/** `cluster`'s gateway pod; by default the one helloUrl() reaches. */
export function gatewayPod(cluster = inject("istiod").clusterId): PodState {
    const gateway = dataPlaneState().pods.find((p) => p.role === "gateway" && p.cluster === cluster);
    if (gateway === undefined) {
        throw new Error(`the data plane runs no gateway in ${cluster}`);
    }
    return gateway;
}

/** The namespace's sidecar'd pods, once the data plane runs each of `versions` with its Envoy ready. */
export async function readyPods(namespace: string, versions: string[]): Promise<PodState[]> {
    return waitUntil(`${namespace}: ${versions.join(", ")} running in the data plane with ready proxies`, READY_TIMEOUT_MS, () => {
        const pods = dataPlaneState().pods.filter((p) => p.namespace === namespace && p.role === "sidecar");
        const ready = versions.every((v) => pods.some((p) => p.version === v && p.ready));
        return ready ? pods : undefined;
    });
}

/**
 * The namespace's pod of `workload` (a Deployment with no version: a mesh client), once its sidecar is
 * ready; in `cluster` when the workload runs in several.
 */
export async function readyWorkloadPod(namespace: string, workload: string, cluster?: string): Promise<PodState> {
    const where = cluster === undefined ? namespace : `${namespace} in ${cluster}`;
    return waitUntil(`${where}: ${workload}'s pod running in the data plane with a ready proxy`, READY_TIMEOUT_MS, () =>
        dataPlaneState().pods.find((p) => p.namespace === namespace && p.role === "sidecar" && p.name.startsWith(`${workload}-`) && p.ready
            && (cluster === undefined || p.cluster === cluster)));
}

/** One API client per cluster, by name; close() them in afterAll. */
export function clusterApis(): Map<string, KubeApi> {
    return new Map(inject("localClusters").clusters.map((c) => [c.name, new KubeApi(c)]));
}

/**
 * Deletes the file's namespace in every cluster and waits until the data plane has stopped its pods,
 * so the next file's Gateway (same port, same hosts) is the only one the ingress serves.
 */
export async function removeNamespace(apis: Map<string, KubeApi>, namespace: string, dir = dataPlaneDir()): Promise<void> {
    for (const api of apis.values()) {
        await api.call("DELETE", `/api/v1/namespaces/${namespace}`).catch(() => undefined);
    }
    await waitUntil(`${namespace}: its pods gone from the data plane`, READY_TIMEOUT_MS, () =>
        readState(dir).pods.some((p) => p.namespace === namespace) ? undefined : true);
}

/** A file's stack on the suite's clusters, its data plane, and the release's pods in it. */
export interface TrafficStack {
    readonly workspace: PulumiWorkspace;
    readonly apis: Map<string, KubeApi>;
    /** The release's sidecar'd pods once both versions' proxies were ready after the first `up`. */
    readonly pods: PodState[];
    pod(version: string): PodState;
}

/**
 * The file's data plane (useDataPlane) and the dev stack in `namespace` (with `overrides`), applied
 * by `pulumi up` before the file's tests; afterwards the workspace goes and the namespace is deleted
 * in both clusters, so the next file's Gateway is the only one on the gateway's port.
 */
export function useTrafficStack(namespace: string, overrides: Record<string, unknown> = {}): TrafficStack {
    useDataPlane();
    let workspace: PulumiWorkspace | undefined;
    let apis: Map<string, KubeApi> | undefined;
    let pods: PodState[] = [];
    beforeAll(async () => {
        apis = clusterApis();
        workspace = trafficWorkspace(liveStackConfig(namespace, overrides));
        workspace.mustRun(["up", "--yes"]);
        pods = await readyPods(namespace, ["v1", "v2"]);
    });
    afterAll(async () => {
        workspace?.remove();
        if (apis !== undefined) {
            await removeNamespace(apis, namespace);
            apis.forEach((api) => api.close());
        }
    });
    const started = <T>(value: T | undefined): T => {
        if (value === undefined) {
            throw new Error("the traffic stack is not up: its beforeAll failed or has not run");
        }
        return value;
    };
    return {
        get workspace() {
            return started(workspace);
        },
        get apis() {
            return started(apis);
        },
        get pods() {
            return pods;
        },
        pod(version) {
            return started(pods.find((p) => p.version === version));
        },
    };
}
