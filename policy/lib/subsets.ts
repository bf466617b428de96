// DestinationRule subsets that select no pods, found once for the two policies that report them: the
// mandatory one for subsets a route sends traffic to (a 503 waiting to happen), the advisory one for
// subsets no route uses (Istio's samples define subsets for versions they do not deploy).
import { resolveHost } from "./hosts.ts";
import { ISTIO_NETWORKING, type K8sObject } from "./model.ts";
import type { ServiceInfo, StackIndex } from "./stack.ts";
import { at, formatLabels, isUnknown, labelsMatch, listWords, type Unknown } from "./values.ts";

type Labels = Readonly<Record<string, string>>;

/** Whether some cluster runs pods that both the Service and the subset select; undefined when unknowable. */
type Outcome = { found: true } | { found: false; hint: string } | undefined;

export interface EmptySubset {
    /** The DestinationRule that defines the subset. */
    rule: K8sObject;
    subset: string;
    labels: Labels;
    /** The Service the subset belongs to (the first of its clusters). */
    service: ServiceInfo;
    /** Whether a VirtualService in the rule's cluster routes to this subset; UNKNOWN during preview. */
    routed: boolean | Unknown;
    /** `app=helloworld, version=v3`: the labels a pod would need. */
    wanted: string;
    /** A sentence naming matching workloads in clusters without the Service, or "". */
    hint: string;
}

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

const cache = new WeakMap<StackIndex, EmptySubset[]>();

/** Every subset, per DestinationRule object, whose pods are known to run nowhere beside its Service. */
export function emptySubsets(stack: StackIndex): readonly EmptySubset[] {
    let found = cache.get(stack);
    if (found === undefined) {
        // The same DestinationRule is usually applied to every config cluster: judge each host and subset once.
        const outcomes = new Map<string, Outcome>();
        found = stack.ofKind(ISTIO_NETWORKING, "DestinationRule").flatMap((rule) => emptySubsetsOf(stack, rule, outcomes));
        cache.set(stack, found);
    }
    return found;
}

function emptySubsetsOf(stack: StackIndex, rule: K8sObject, outcomes: Map<string, Outcome>): EmptySubset[] {
    const host = at(rule.body, "spec", "host");
    if (typeof rule.namespace !== "string" || typeof host !== "string") {
        return [];
    }
    const fqdn = resolveHost(host, rule.namespace);
    const services = stack.servicesFor(fqdn);
    const info = stack.destinationRulesFor(rule.cluster.key, fqdn).find((r) => r.object === rule);
    const [service] = services;
    if (service === undefined || info === undefined || isUnknown(info.subsets)) {
        return [];
    }
    const routed = stack.routedSubsets(rule.cluster.key, fqdn);
    const out: EmptySubset[] = [];
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
            const selector = !isUnknown(service.selector) ? service.selector ?? {} : {};
            out.push({
                rule,
                subset: subset.name,
                labels: subset.labels,
                service,
                routed: isUnknown(routed) ? routed : routed.has(subset.name),
                wanted: formatLabels({ ...selector, ...subset.labels }),
                hint: outcome.hint,
            });
        }
    }
    return out;
}
