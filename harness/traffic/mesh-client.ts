// A caller inside the mesh, like Istio's `sleep` sample: a Deployment with no app to serve (no
// version label, no port), which the local data plane runs as a pod with only its Envoy sidecar and
// Istio's traffic redirection. meshBurst() sends requests from inside that pod's network namespace
// (meshRequests, meshBurst) as its app would: as root, not the proxy's uid 1337, so istio-iptables sends them to the sidecar's
// outbound listener, which routes them by Host, over Istio mutual TLS, as istiod programmed it for
// the pod's cluster. The pod has no cluster DNS: the caller resolves the Service's ClusterIP from the
// API (serviceAddress) and the request goes there with the service's name as its Host.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { deploymentObject } from "../../dev/clusters/deployment.ts";
import type { KubeApi, KubeObject } from "../../dev/clusters/kube-api.ts";
import { type PodState, RECEIVED_PATH, type Received } from "../../dev/dataplane/dataplane-files.ts";
import type { Tally } from "../../dev/traffic/requests.ts";

/** The client's name, labels and service account (its SPIFFE identity: spiffe://cluster.local/ns/<ns>/sa/sleep). */
export const MESH_CLIENT = "sleep";
const IN_POD_REQUESTS = fileURLToPath(new URL("./in-pod-requests.ts", import.meta.url));

/** The client's ServiceAccount and Deployment in `namespace`, as Istio's samples/sleep has them. */
export function meshClientObjects(namespace: string): KubeObject[] {
    const labels = { app: MESH_CLIENT };
    return [
        { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: MESH_CLIENT, namespace } },
        deploymentObject({
            name: MESH_CLIENT,
            namespace,
            labels,
            podSpec: {
                serviceAccountName: MESH_CLIENT,
                containers: [{ name: MESH_CLIENT, image: "curlimages/curl:8.16.0", command: ["/bin/sleep", "infinity"] }],
            },
        }),
    ];
}

/** A Service's ClusterIP, as cluster DNS would answer for its name. */
export async function serviceAddress(api: KubeApi, namespace: string, name: string): Promise<string> {
    const service = await api.get<{ spec: { clusterIP?: string } }>(`/api/v1/namespaces/${namespace}/services/${name}`);
    if (service.spec.clusterIP === undefined || service.spec.clusterIP === "None") {
        throw new Error(`${namespace}/${name} has no ClusterIP`);
    }
    return service.spec.clusterIP;
}

/**
 * What in-pod-requests.ts is given (as JSON, its one argument): `count` requests, one after another,
 * for which it prints each MeshAnswer, or a burst, for which it prints a Tally (its maps as entry lists).
 */
export type InPodRequests = { url: string; headers: Record<string, string>; count: number } & ({ kind: "answers" } | { kind: "burst"; concurrency: number });

export interface MeshAnswer {
    status: number;
    body: string;
}

export type TallyJson = { [K in keyof Tally]: Tally[K] extends Map<infer Key, infer Value> ? [Key, Value][] : Tally[K] };

export function tallyToJson(tally: Tally): TallyJson {
    return {
        versions: [...tally.versions], instances: [...tally.instances], statuses: [...tally.statuses],
        connectionErrors: [...tally.connectionErrors], total: tally.total,
    };
}

function tallyFromJson(json: TallyJson): Tally {
    return {
        versions: new Map(json.versions), instances: new Map(json.instances), statuses: new Map(json.statuses),
        connectionErrors: new Map(json.connectionErrors), total: json.total,
    };
}

export interface MeshRequestOptions {
    /** The IP the URL's host resolves to (serviceAddress). */
    address: string;
    headers?: Record<string, string>;
}

/** Runs in-pod-requests.ts in the client pod's network namespace, with `url`'s host resolved to `address`; its printed JSON. */
async function inPod(client: Pick<PodState, "netns">, url: string, options: MeshRequestOptions,
    request: { count: number } & ({ kind: "answers" } | { kind: "burst"; concurrency: number })): Promise<unknown> {
    const target = new URL(url);
    const host = target.host;
    target.hostname = options.address;
    const args: InPodRequests = { ...request, url: target.toString(), headers: { ...options.headers, host } };
    const { stdout } = await promisify(execFile)("ip", ["netns", "exec", client.netns, process.execPath, IN_POD_REQUESTS, JSON.stringify(args)],
        { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout) as unknown;
}

/** `count` requests (default 1), one after another, to `url` (e.g. http://helloworld.<ns>.svc.cluster.local:5000/headers) from inside the client pod. */
export async function meshRequests(client: Pick<PodState, "netns">, url: string, options: MeshRequestOptions & { count?: number }): Promise<MeshAnswer[]> {
    return await inPod(client, url, options, { kind: "answers", count: options.count ?? 1 }) as MeshAnswer[];
}

/** `count` requests to `url` from inside the client pod, `concurrency` at a time (default 4): who answered, as requests.ts tallies it. */
export async function meshBurst(client: Pick<PodState, "netns">, url: string, options: MeshRequestOptions & { count: number; concurrency?: number }): Promise<Tally> {
    const json = await inPod(client, url, options, { kind: "burst", count: options.count, concurrency: options.concurrency ?? 4 });
    return tallyFromJson(json as TallyJson);
}

/**
 * What `pod`'s app has been sent (RECEIVED_PATH), asked on the pod's own loopback from inside it:
 * istio-iptables leaves a root process's loopback traffic alone, so the question goes past the
 * sidecar, to the app on `port`, and no route or Envoy counter sees it.
 */
export async function appReceived(pod: Pick<PodState, "netns" | "name">, port: number): Promise<Received> {
    const [answer] = await meshRequests(pod, `http://127.0.0.1:${port}${RECEIVED_PATH}`, { address: "127.0.0.1" });
    if (answer?.status !== 200) {
        throw new Error(`${pod.name}: ${RECEIVED_PATH} answered ${answer?.status ?? "nothing"}: ${answer?.body ?? ""}`);
    }
    return JSON.parse(answer.body) as Received;
}
