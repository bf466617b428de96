import { describe } from "./lib/model.ts";
import { inCluster, type ResourceRule } from "./lib/rule.ts";
import { isUnknown, listWords } from "./lib/values.ts";
import { isLongRunningWorkload, podTemplate } from "./lib/workloads.ts";

/** Istio's canonical-service labels: the plain label, or the Kubernetes recommended one it also reads. */
const REQUIRED = [
    { label: "app", alternative: "app.kubernetes.io/name" },
    { label: "version", alternative: "app.kubernetes.io/version" },
] as const;

export const istioWorkloadRequiresAppAndVersionLabels: ResourceRule = {
    scope: "resource",
    name: "istio-workload-requires-app-and-version-labels",
    description: "Every long-running workload in a mesh namespace must run pods that carry app and version labels (or app.kubernetes.io/name and " +
        "app.kubernetes.io/version), which Istio uses for telemetry, canonical services and subsets.",
    enforcementLevel: "advisory",
    meshOnly: true,
    appliesTo: isLongRunningWorkload,
    check(object): string[] {
        const labels = podTemplate(object)?.labels;
        if (labels === undefined || isUnknown(labels)) {
            return [];
        }
        const missing = REQUIRED.filter((r) => !labels[r.label] && !labels[r.alternative]).map((r) => r.label);
        return missing.length === 0 ? [] : [
            `${describe(object)} ${inCluster(object)} runs pods without the ${listWords(missing.map((m) => `'${m}'`))} ` +
            `label${missing.length === 1 ? "" : "s"}; ` +
            "its pod template must carry app and version labels so that Istio can attribute and split its traffic.",
        ];
    },
};
