// Which of a cluster's pods the local data plane runs, and as what: what Istio's injector and a
// kubelet would make of them. A pod in a namespace whose labels turn injection on (mesh/injection.ts)
// gets a sidecar and its app; a pod labelled istio=ingressgateway is a gateway (pilot-agent in router
// mode, no app). Only pods kwok has made Running with an IP count; a pod being deleted does not.
import { namespaceInjection, POD_INJECTION_LABEL } from "../../mesh/injection.ts";
import type { KubeObject } from "../clusters/kube-api.ts";

/** The label Istio's ingress gateway pods carry and Gateway objects select. */
export const GATEWAY_LABEL = { istio: "ingressgateway" } as const;

export interface DataPlanePod {
    /** The cluster's name, which is also its Istio cluster ID. */
    cluster: string;
    namespace: string;
    name: string;
    uid: string;
    ip: string;
    serviceAccount: string;
    labels: Record<string, string>;
    /** The Deployment behind it (Istio's workload name), or the pod's own name. */
    workload: string;
    role: "sidecar" | "gateway";
    /** The app a sidecar pod runs beside its proxy: the version it answers with and its port. */
    app?: { version: string; port: number };
}

interface PodFields {
    metadata: KubeObject["metadata"] & {
        uid?: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
        deletionTimestamp?: string;
        ownerReferences?: { kind: string; name: string }[];
    };
    spec?: {
        serviceAccountName?: string;
        containers?: { env?: { name: string; value?: string }[]; ports?: { containerPort: number }[] }[];
    };
    status?: { phase?: string; podIP?: string };
}

/** A ReplicaSet's name is its Deployment's and a hash: the hash goes. */
function workloadOf(pod: PodFields): string {
    const owner = pod.metadata.ownerReferences?.[0];
    if (owner?.kind === "ReplicaSet") {
        return owner.name.replace(/-[a-z0-9]+$/, "");
    }
    return owner?.name ?? pod.metadata.name;
}

function appOf(pod: PodFields, labels: Record<string, string>): DataPlanePod["app"] {
    const container = pod.spec?.containers?.[0];
    // The subset's label: the version the release routes to this pod (and sets in any version variable).
    const version = labels["version"];
    const port = container?.ports?.[0]?.containerPort;
    return version === undefined || port === undefined ? undefined : { version, port };
}

/** The pods of one cluster the data plane runs, given its namespaces (for their injection labels). */
export function dataPlanePods(cluster: string, namespaces: KubeObject[], pods: KubeObject[]): DataPlanePod[] {
    const injected = new Set(namespaces
        .filter((ns) => namespaceInjection((ns.metadata["labels"] ?? {}) as Record<string, string>).injected)
        .map((ns) => ns.metadata.name));
    return (pods as unknown as PodFields[]).flatMap((pod): DataPlanePod[] => {
        const ip = pod.status?.podIP;
        const uid = pod.metadata.uid;
        const namespace = pod.metadata.namespace;
        if (ip === undefined || uid === undefined || namespace === undefined
            || pod.status?.phase !== "Running" || pod.metadata.deletionTimestamp !== undefined) {
            return [];
        }
        const labels = pod.metadata.labels ?? {};
        const base = {
            cluster, namespace, name: pod.metadata.name, uid, ip, labels,
            serviceAccount: pod.spec?.serviceAccountName ?? "default",
            workload: workloadOf(pod),
        };
        if (labels["istio"] === GATEWAY_LABEL.istio) {
            return [{ ...base, role: "gateway" }];
        }
        const optedOut = labels[POD_INJECTION_LABEL] === "false" || pod.metadata.annotations?.[POD_INJECTION_LABEL] === "false";
        if (!injected.has(namespace) || optedOut) {
            return [];
        }
        const app = appOf(pod, labels);
        return [{ ...base, role: "sidecar", ...(app === undefined ? {} : { app }) }];
    });
}

/** The key a running pod is known by: a pod deleted and made again under the same name is another pod. */
export function podKey(pod: Pick<DataPlanePod, "cluster" | "namespace" | "name" | "uid">): string {
    return `${pod.cluster}/${pod.namespace}/${pod.name}/${pod.uid}`;
}
