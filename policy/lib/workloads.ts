// Where each workload kind keeps the pods it runs. Istio routes to pods, so every cross-resource
// check asks "which pods would this object create, with which labels".
import type { K8sObject } from "./model.ts";
import { asArray, asObject, at, isUnknown, stringMap, UNKNOWN, type JsonObject, type Unknown } from "./values.ts";

interface WorkloadKind {
    group: string;
    kind: string;
    /** Path from the object to its pod template (metadata + spec); empty for a bare Pod. */
    template: readonly string[];
    /** Serves traffic for as long as it runs, so mesh identity labels matter. */
    longRunning: boolean;
}

const WORKLOAD_KINDS: readonly WorkloadKind[] = [
    { group: "apps", kind: "Deployment", template: ["spec", "template"], longRunning: true },
    { group: "apps", kind: "StatefulSet", template: ["spec", "template"], longRunning: true },
    { group: "apps", kind: "DaemonSet", template: ["spec", "template"], longRunning: true },
    { group: "apps", kind: "ReplicaSet", template: ["spec", "template"], longRunning: true },
    { group: "", kind: "ReplicationController", template: ["spec", "template"], longRunning: true },
    { group: "", kind: "Pod", template: [], longRunning: true },
    // Argo Rollouts is the usual way to drive a canary on Kubernetes; its pods count like a Deployment's.
    { group: "argoproj.io", kind: "Rollout", template: ["spec", "template"], longRunning: true },
    { group: "batch", kind: "Job", template: ["spec", "template"], longRunning: false },
    { group: "batch", kind: "CronJob", template: ["spec", "jobTemplate", "spec", "template"], longRunning: false },
];

function workloadKind(object: K8sObject): WorkloadKind | undefined {
    return WORKLOAD_KINDS.find((w) => w.kind === object.kind && w.group === object.group);
}

export function isWorkload(object: K8sObject): boolean {
    return workloadKind(object) !== undefined;
}

export function isLongRunningWorkload(object: K8sObject): boolean {
    return workloadKind(object)?.longRunning === true;
}

export interface PodTemplate {
    /** The pods' labels; UNKNOWN while preview cannot know them. */
    labels: Readonly<Record<string, string>> | Unknown;
    annotations: Readonly<Record<string, string>> | Unknown;
    /** The pod spec; UNKNOWN while preview cannot know it. */
    spec: JsonObject | Unknown | undefined;
}

/** The pod template of a workload, or undefined for objects that run no pods. */
export function podTemplate(object: K8sObject): PodTemplate | undefined {
    const kind = workloadKind(object);
    if (kind === undefined) {
        return undefined;
    }
    const template = at(object.body, ...kind.template);
    if (isUnknown(template)) {
        return { labels: UNKNOWN, annotations: UNKNOWN, spec: UNKNOWN };
    }
    const spec = at(template, "spec");
    return {
        labels: stringMap(at(template, "metadata", "labels")) ?? {},
        annotations: stringMap(at(template, "metadata", "annotations")) ?? {},
        spec: isUnknown(spec) ? spec : asObject(spec),
    };
}

export interface Container {
    /** `containers[0]` or `initContainers[1]`, for messages. */
    path: string;
    name: string;
    body: JsonObject | Unknown;
}

/** Regular and init containers of a pod spec; UNKNOWN when the lists cannot be known yet. */
export function containers(spec: JsonObject): Container[] | Unknown {
    const out: Container[] = [];
    for (const field of ["initContainers", "containers"] as const) {
        const list = spec[field];
        if (isUnknown(list)) {
            return list;
        }
        (asArray(list) ?? []).forEach((entry, i) => {
            const name = at(entry, "name");
            out.push({
                path: `${field}[${i}]`,
                name: typeof name === "string" ? name : `#${i}`,
                body: isUnknown(entry) ? entry : asObject(entry) ?? {},
            });
        });
    }
    return out;
}

export interface KnownPodSpec {
    spec: JsonObject;
    containers: Container[];
}

/**
 * A workload's pod spec with its containers, or undefined when it runs no pods or preview cannot know the spec or
 * its container lists yet: the container checks judge only what they can see.
 */
export function knownPodSpec(object: K8sObject): KnownPodSpec | undefined {
    const spec = podTemplate(object)?.spec;
    if (spec === undefined || isUnknown(spec)) {
        return undefined;
    }
    const list = containers(spec);
    return isUnknown(list) ? undefined : { spec, containers: list };
}
