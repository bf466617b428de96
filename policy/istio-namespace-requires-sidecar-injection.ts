import { serviceFqdn } from "../mesh/hosts.ts";
import { INJECTION_LABEL as INJECTION, POD_INJECTION_LABEL as POD_OPT, REVISION_LABEL as REVISION } from "../mesh/injection.ts";
import { describe, type ClusterRef, type K8sObject } from "./lib/model.ts";
import { inCluster, type StackRule, type Violation } from "./lib/rule.ts";
import type { StackIndex, WorkloadInfo } from "./lib/stack.ts";
import { at, isUnknown, labelsMatch, listWords, stringMap } from "./lib/values.ts";

/** What is wrong with a namespace's injection labels, or undefined when exactly one turns injection on. */
function labelProblem(labels: Readonly<Record<string, string>>): string | undefined {
    const injection = labels[INJECTION];
    const revision = labels[REVISION];
    const hasRevision = revision !== undefined && revision !== "";
    if (injection !== undefined && hasRevision) {
        return `sets both ${INJECTION}: ${injection} and ${REVISION}: ${revision}; it must set exactly one ` +
            `(with both, ${INJECTION} wins and the revision is ignored, which hides which control plane injects its pods)`;
    }
    if (injection === "enabled" || (injection === undefined && hasRevision)) {
        return undefined;
    }
    if (injection === "disabled") {
        return `sets ${INJECTION}: disabled; it must enable injection with ${INJECTION}: enabled or ${REVISION}: <revision>`;
    }
    if (injection !== undefined) {
        return `sets ${INJECTION}: ${injection}, which Istio ignores (only 'enabled' turns injection on); it must set ` +
            `${INJECTION}: enabled or ${REVISION}: <revision>`;
    }
    return `has neither ${INJECTION}: enabled nor ${REVISION}; it must carry exactly one of them`;
}

/** Workloads that opt out of injection although a Service Istio routes to selects their pods. */
function optOuts(stack: StackIndex, cluster: ClusterRef, namespace: string, workloads: readonly WorkloadInfo[]): Violation[] {
    const routed = stack.servicesIn(cluster.key, namespace)
        .filter((s) => stack.meshHosts.has(serviceFqdn(s.name, s.namespace)));
    const out: Violation[] = [];
    for (const { object, template } of workloads) {
        const { labels, annotations } = template;
        if (isUnknown(labels) || isUnknown(annotations) || (labels[POD_OPT] !== "false" && annotations[POD_OPT] !== "false")) {
            continue;
        }
        const backing = routed.find((s) => !isUnknown(s.selector) && s.selector !== undefined
            && Object.keys(s.selector).length > 0 && labelsMatch(labels, s.selector));
        if (backing !== undefined) {
            out.push({
                subject: object,
                message: `${describe(object)} ${inCluster(object)} opts its pods out of sidecar injection ` +
                    `(${POD_OPT}: "false"), yet Istio routes traffic for Service ${backing.namespace}/${backing.name} to them; ` +
                    "mesh workloads must run a sidecar, or ISTIO_MUTUAL connections to them fail.",
            });
        }
    }
    return out;
}

export const istioNamespaceRequiresSidecarInjection: StackRule = {
    scope: "stack",
    name: "istio-namespace-requires-sidecar-injection",
    description: "A namespace that holds mesh workloads must turn sidecar injection on with exactly one of " +
        "istio-injection: enabled or istio.io/rev, and its mesh workloads must not opt out.",
    enforcementLevel: "mandatory",
    check(stack): Violation[] {
        const violations: Violation[] = [];
        for (const cluster of stack.clusters) {
            for (const namespace of stack.meshNamespaces) {
                const workloads = stack.workloadsIn(cluster.key, namespace);
                if (workloads.length === 0) {
                    continue;
                }
                violations.push(...optOuts(stack, cluster, namespace, workloads));
                // A namespace the stack does not manage is someone else's to label: nothing to judge here.
                const ns: K8sObject | undefined = stack.namespaceObject(cluster.key, namespace);
                const labels = ns === undefined ? undefined : stringMap(at(ns.body, "metadata", "labels"));
                if (ns === undefined || isUnknown(labels)) {
                    continue;
                }
                const problem = labelProblem(labels ?? {});
                if (problem !== undefined) {
                    const names = workloads.slice(0, 3).map((w) => `${w.object.kind} ${String(w.object.name)}`);
                    const more = workloads.length > 3 ? ` and ${workloads.length - 3} more` : "";
                    violations.push({
                        subject: ns,
                        message: `${describe(ns)} ${inCluster(ns)} holds mesh workloads (${listWords(names)}${more}) but ` +
                            `${problem}, so that its pods get an Istio sidecar.`,
                    });
                }
            }
        }
        return violations;
    },
};
