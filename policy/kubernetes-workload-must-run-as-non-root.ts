import { describe } from "./lib/model.ts";
import { inCluster, type ResourceRule } from "./lib/rule.ts";
import { at, isUnknown } from "./lib/values.ts";
import { isWorkload, knownPodSpec } from "./lib/workloads.ts";

export const kubernetesWorkloadMustRunAsNonRoot: ResourceRule = {
    scope: "resource",
    name: "kubernetes-workload-must-run-as-non-root",
    description: "Every container must run as a non-root user: securityContext.runAsNonRoot true, or a non-zero " +
        "runAsUser, on the container or the pod.",
    enforcementLevel: "advisory",
    appliesTo: isWorkload,
    check(object): string[] {
        const known = knownPodSpec(object);
        const pod = at(known?.spec, "securityContext");
        if (known === undefined || isUnknown(pod)) {
            return [];
        }
        const messages: string[] = [];
        for (const c of known.containers) {
            // The container's securityContext wins over the pod's, field by field.
            const own = (field: string) => at(c.body, "securityContext", field);
            const nonRoot = own("runAsNonRoot") ?? at(pod, "runAsNonRoot");
            const user = own("runAsUser") ?? at(pod, "runAsUser");
            if (isUnknown(nonRoot) || isUnknown(user)) {
                continue;
            }
            if (user === 0) {
                messages.push(`${describe(object)} ${inCluster(object)} container '${c.name}' (${c.path}) sets runAsUser 0; ` +
                    "it must run as a non-root user.");
            } else if (nonRoot !== true && !(typeof user === "number" && user > 0)) {
                messages.push(`${describe(object)} ${inCluster(object)} container '${c.name}' (${c.path}) may run as root; ` +
                    "it must set securityContext.runAsNonRoot: true (or a non-zero runAsUser) on the container or the pod.");
            }
        }
        return messages;
    },
};
