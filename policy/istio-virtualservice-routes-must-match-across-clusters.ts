import { CLUSTER_WEIGHTS_ANNOTATION } from "../mesh/annotations.ts";
import { describe, ISTIO_NETWORKING, type K8sObject } from "./lib/model.ts";
import type { StackRule, Violation } from "./lib/rule.ts";
import { at, canonicalJson, containsUnknown, listWords } from "./lib/values.ts";

function declaresOwnWeights(object: K8sObject): boolean {
    return at(object.body, "metadata", "annotations", CLUSTER_WEIGHTS_ANNOTATION) === "true";
}

export const istioVirtualServiceRoutesMustMatchAcrossClusters: StackRule = {
    scope: "stack",
    name: "istio-virtualservice-routes-must-match-across-clusters",
    description: "A VirtualService with the same name and namespace in several clusters (each primary's copy of the release's " +
        "routes) must route the same way everywhere, or each cluster's gateway serves another split; a cluster's own weights " +
        `(a wave, annotated ${CLUSTER_WEIGHTS_ANNOTATION}) are the one deliberate difference.`,
    enforcementLevel: "mandatory",
    check(stack): Violation[] {
        const groups = new Map<string, K8sObject[]>();
        for (const vs of stack.ofKind(ISTIO_NETWORKING, "VirtualService")) {
            const spec = at(vs.body, "spec");
            if (typeof vs.name !== "string" || typeof vs.namespace !== "string" || stack.inMesh(vs.namespace) !== true || containsUnknown(spec)) {
                continue;
            }
            const key = `${vs.namespace}/${vs.name}`;
            groups.set(key, [...(groups.get(key) ?? []), vs]);
        }
        const violations: Violation[] = [];
        for (const members of groups.values()) {
            if (new Set(members.map((m) => m.cluster.key)).size < 2 || members.some(declaresOwnWeights)) {
                continue;
            }
            const bySpec = new Map<string, K8sObject[]>();
            for (const m of members) {
                const key = canonicalJson(at(m.body, "spec"));
                bySpec.set(key, [...(bySpec.get(key) ?? []), m]);
            }
            if (bySpec.size < 2) {
                continue;
            }
            // The routes most clusters agree on are the reference; each other cluster is reported.
            const reference = [...bySpec.values()].reduce((best, g) => (g.length > best.length ? g : best));
            const where = listWords(reference.map((m) => m.cluster.name).sort());
            for (const m of members.filter((x) => !reference.includes(x))) {
                violations.push({
                    subject: m,
                    message: `${describe(m)} in cluster ${m.cluster.name} routes differently from the same VirtualService in ${where}; ` +
                        "every primary's copy must route the same way (set the release's weights), unless the difference is a wave " +
                        "(clusters.<name>.weights, which marks the VirtualService " + `${CLUSTER_WEIGHTS_ANNOTATION}: "true").`,
                });
            }
        }
        return violations;
    },
};
