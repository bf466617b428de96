import { describe } from "./lib/model.ts";
import { inCluster, stringList, type ResourceRule } from "./lib/rule.ts";
import { at, isUnknown, listWords } from "./lib/values.ts";
import { isWorkload, knownPodSpec } from "./lib/workloads.ts";

export const kubernetesWorkloadRequiresResourceRequestsAndLimits: ResourceRule = {
    scope: "resource",
    name: "kubernetes-workload-requires-resource-requests-and-limits",
    description: "Every container must set resource requests and limits, so that a canary is scheduled and " +
        "throttled like the version it is compared with.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            requiredRequests: {
                type: "array",
                items: { type: "string", enum: ["cpu", "memory"] },
                default: ["cpu", "memory"],
                description: "Resources every container must request.",
            },
            requiredLimits: {
                type: "array",
                items: { type: "string", enum: ["cpu", "memory"] },
                default: ["cpu", "memory"],
                description: "Resources every container must limit (set [\"memory\"] if you deliberately run without CPU limits).",
            },
        },
    },
    appliesTo: isWorkload,
    check(object, config): string[] {
        const list = knownPodSpec(object)?.containers;
        if (list === undefined) {
            return [];
        }
        const wanted = [
            ...stringList(config["requiredRequests"]).map((r) => ["requests", r] as const),
            ...stringList(config["requiredLimits"]).map((r) => ["limits", r] as const),
        ];
        const messages: string[] = [];
        for (const c of list) {
            const values = wanted.map(([kind, resource]) => ({ field: `${kind}.${resource}`, value: at(c.body, "resources", kind, resource) }));
            if (values.some((v) => isUnknown(v.value))) {
                continue;
            }
            const missing = values.filter((v) => v.value === undefined || v.value === null || v.value === "").map((v) => v.field);
            if (missing.length > 0) {
                messages.push(`${describe(object)} ${inCluster(object)} container '${c.name}' (${c.path}) sets no ` +
                    `resources.${listWords(missing)}; every container must set ${listWords(values.map((v) => `resources.${v.field}`))}.`);
            }
        }
        return messages;
    },
};
