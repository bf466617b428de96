import { resolveHost } from "./lib/hosts.ts";
import { describe, ISTIO_NETWORKING, type K8sObject } from "./lib/model.ts";
import { inCluster, type StackRule, type Violation } from "./lib/rule.ts";
import type { ServiceInfo, StackIndex } from "./lib/stack.ts";
import { at, formatLabels, isUnknown, labelsMatch, listWords } from "./lib/values.ts";

type Labels = Readonly<Record<string, string>>;

/** Whether some cluster runs pods that both the Service and the subset select; undefined when unknowable. */
type Outcome = { found: true } | { found: false; hint: string } | undefined;

/** Names workloads whose pods would match, but in clusters without the Service (so Istio never sees them). */
function strandedHint(stack: StackIndex, services: readonly ServiceInfo[], subsetLabels: Labels): string {
    const withService = new Set(services.map((s) => s.object.cluster.key));
    const { namespace, name } = services[0] ?? { namespace: "", name: "" };
    const selectors = services.map((s) => s.selector).filter((s): s is Labels => s !== undefined && !isUnknown(s));
    const stranded: string[] = [];
    for (const cluster of stack.clusters) {
        if (withService.has(cluster.key)) {
            continue;
        }
        for (const w of stack.workloadsIn(cluster.key, namespace)) {
            const labels = w.template.labels;
            if (!isUnknown(labels) && labelsMatch(labels, subsetLabels) && selectors.some((s) => labelsMatch(labels, s))) {
                stranded.push(`${w.object.kind} ${String(w.object.name)} in cluster ${cluster.name}`);
            }
        }
    }
    return stranded.length === 0
        ? ""
        : ` ${listWords(stranded)} would match, but ${stranded.length === 1 ? "its cluster has" : "their clusters have"} no ` +
          `Service ${namespace}/${name}, so Istio never discovers those pods.`;
}

function selectsPods(stack: StackIndex, services: readonly ServiceInfo[], subsetLabels: Labels): Outcome {
    let knowable = true;
    for (const service of services) {
        const selector = service.selector;
        // A Service without a selector gets its endpoints some other way: nothing here to judge.
        if (isUnknown(selector) || selector === undefined || Object.keys(selector).length === 0) {
            knowable = false;
            continue;
        }
        const cluster = service.object.cluster.key;
        if (stack.workloadsIncomplete(cluster)) {
            knowable = false;
        }
        for (const workload of stack.workloadsIn(cluster, service.namespace)) {
            const labels = workload.template.labels;
            if (isUnknown(labels)) {
                knowable = false;
            } else if (labelsMatch(labels, selector) && labelsMatch(labels, subsetLabels)) {
                return { found: true };
            }
        }
    }
    return knowable ? { found: false, hint: strandedHint(stack, services, subsetLabels) } : undefined;
}

export const istioDestinationRuleSubsetsMustSelectPods: StackRule = {
    scope: "stack",
    name: "istio-destinationrule-subsets-must-select-pods",
    description: "Every DestinationRule subset must select the pods of some workload in the stack, in any cluster " +
        "that also runs the host's Service, so that traffic routed to the subset has somewhere to go.",
    enforcementLevel: "mandatory",
    check(stack): Violation[] {
        const violations: Violation[] = [];
        // The same DestinationRule is usually applied to every config cluster: judge each host and subset once.
        const outcomes = new Map<string, Outcome>();
        for (const rule of stack.ofKind(ISTIO_NETWORKING, "DestinationRule")) {
            violations.push(...checkRule(stack, rule, outcomes));
        }
        return violations;
    },
};

function checkRule(stack: StackIndex, rule: K8sObject, outcomes: Map<string, Outcome>): Violation[] {
    const host = at(rule.body, "spec", "host");
    if (typeof rule.namespace !== "string" || typeof host !== "string") {
        return [];
    }
    const fqdn = resolveHost(host, rule.namespace);
    const services = stack.servicesFor(fqdn);
    const info = stack.destinationRulesFor(rule.cluster.key, fqdn).find((r) => r.object === rule);
    if (services.length === 0 || info === undefined || isUnknown(info.subsets)) {
        return [];
    }
    const violations: Violation[] = [];
    for (const subset of info.subsets) {
        if (isUnknown(subset.labels)) {
            continue;
        }
        const key = `${fqdn}\0${JSON.stringify(Object.entries(subset.labels).sort())}`;
        if (!outcomes.has(key)) {
            outcomes.set(key, selectsPods(stack, services, subset.labels));
        }
        const outcome = outcomes.get(key);
        if (outcome !== undefined && !outcome.found) {
            const service = services[0];
            const selector = service !== undefined && !isUnknown(service.selector) ? service.selector ?? {} : {};
            violations.push({
                subject: rule,
                message: `${describe(rule)} ${inCluster(rule)} defines subset "${subset.name}" (${formatLabels(subset.labels)}), ` +
                    `but no workload in any cluster runs pods labelled ${formatLabels({ ...selector, ...subset.labels })} ` +
                    `beside a Service ${service?.namespace}/${service?.name}; every subset must select the pods of a ` +
                    `workload in the stack, or traffic routed to it fails with 503 (no healthy upstream).${outcome.hint}`,
            });
        }
    }
    return violations;
}
