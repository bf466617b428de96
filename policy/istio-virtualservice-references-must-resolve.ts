import { CLUSTER_DOMAIN, MESH_GATEWAY, serviceFqdn } from "../mesh/hosts.ts";
import { hostMatches, resolveGatewayRef, resolveHost, unexpandedServiceForm } from "./lib/hosts.ts";
import { describe, ISTIO_NETWORKING, type K8sObject } from "./lib/model.ts";
import { inCluster, stringList, type RuleConfig, type StackRule, type Violation } from "./lib/rule.ts";
import { routeDestinations, ROUTE_SECTIONS, type RouteDestination } from "./lib/routes.ts";
import type { StackIndex } from "./lib/stack.ts";
import { asArray, at, isUnknown, listWords } from "./lib/values.ts";

/** Gateway references of a VirtualService: `spec.gateways` and every route match's `gateways`. */
function gatewayRefs(object: K8sObject): string[] {
    const refs = new Set<string>();
    const add = (list: unknown) => {
        for (const ref of asArray(list) ?? []) {
            if (typeof ref === "string") {
                refs.add(ref);
            }
        }
    };
    add(at(object.body, "spec", "gateways"));
    for (const section of ROUTE_SECTIONS) {
        for (const rule of asArray(at(object.body, "spec", section)) ?? []) {
            for (const match of asArray(at(rule, "match")) ?? []) {
                add(at(match, "gateways"));
            }
        }
    }
    return [...refs];
}

function gatewayViolations(stack: StackIndex, vs: K8sObject, namespace: string, external: string[]): Violation[] {
    const out: Violation[] = [];
    for (const ref of gatewayRefs(vs)) {
        if (ref === MESH_GATEWAY) {
            continue;
        }
        const target = resolveGatewayRef(ref, namespace);
        if (external.includes(target) || stack.hasGateway(vs.cluster.key, target) !== false) {
            continue;
        }
        out.push({
            subject: vs,
            message: `${describe(vs)} ${inCluster(vs)} binds to Gateway ${target}, which the stack does not define in ` +
                "that cluster; the Gateway must exist beside the VirtualService (or be listed in the policy's " +
                "externalGateways) or nothing serves the route.",
        });
    }
    return out;
}

/** Host problems of one destination, or undefined when the host is fine (or cannot be judged yet). */
function hostViolation(stack: StackIndex, vs: K8sObject, d: RouteDestination, fqdn: string, host: string, config: RuleConfig): string | undefined {
    const who = `${describe(vs)} ${inCluster(vs)} routes ${d.path}`;
    const [first] = stack.servicesFor(fqdn);
    if (first !== undefined) {
        const port = d.port;
        const offered = stack.servicePortsFor(fqdn);
        if (typeof port === "number" && !isUnknown(offered) && !offered.has(port)) {
            const numbers = [...offered].sort((a, b) => a - b).map(String);
            return `${who} to port ${port} of ${host}, but Service ${first.namespace}/${first.name} exposes ` +
                `${numbers.length === 0 ? "no ports" : `only ${listWords(numbers)}`}; the destination port must be one of the Service's ports.`;
        }
        return undefined;
    }
    const meant = unexpandedServiceForm(host);
    if (meant !== undefined && stack.servicesFor(serviceFqdn(meant.name, meant.namespace)).length > 0) {
        return `${who} to host '${host}', which Istio takes literally (it only expands names without a dot), so it ` +
            `matches no Service; it must be '${serviceFqdn(meant.name, meant.namespace)}'` +
            `${meant.namespace === vs.namespace ? ` or '${meant.name}'` : ""}.`;
    }
    if (stack.serviceEntryCovers(fqdn) || stringList(config["externalHosts"]).some((p) => hostMatches(p, fqdn))) {
        return undefined;
    }
    if (stack.servicesIncomplete) {
        return undefined;
    }
    const labels = fqdn.split(".");
    const looked = labels.length === 5 && fqdn.endsWith(`.svc.${CLUSTER_DOMAIN}`)
        ? ` (no Service ${labels[1]}/${labels[0]} in any cluster)`
        : "";
    return `${who} to host '${host}', which matches no Service in the stack${looked}; a destination host must name a ` +
        "Service the stack deploys, a ServiceEntry host, or a host listed in the policy's externalHosts.";
}

function subsetViolation(stack: StackIndex, vs: K8sObject, d: RouteDestination, fqdn: string, subset: string): string | undefined {
    const cluster = vs.cluster;
    const who = `${describe(vs)} ${inCluster(vs)} routes ${d.path} to subset "${subset}" of ${fqdn}`;
    const rules = stack.destinationRulesFor(cluster.key, fqdn);
    if (rules.length === 0) {
        if (stack.destinationRulesIncomplete(cluster.key)) {
            return undefined;
        }
        const elsewhere = stack.destinationRulesAnywhere(fqdn).filter((r) => r.object.cluster.key !== cluster.key);
        const hint = elsewhere.length > 0
            ? ` (a DestinationRule for it exists only in ${listWords([...new Set(elsewhere.map((r) => r.object.cluster.name))])})`
            : "";
        return `${who}, but no DestinationRule for that host exists in cluster ${cluster.name}${hint}; a DestinationRule ` +
            `for the same host in the same cluster must define subset "${subset}", or Envoy answers 503 for this route.`;
    }
    const defined = new Set<string>();
    for (const rule of rules) {
        if (isUnknown(rule.subsets)) {
            return undefined;
        }
        rule.subsets.forEach((s) => defined.add(s.name));
    }
    if (defined.has(subset)) {
        return undefined;
    }
    const names = rules.map((r) => describe(r.object));
    return `${who}, but ${listWords(names)} in that cluster define${rules.length === 1 ? "s" : ""} ` +
        `${defined.size === 0 ? "no subsets" : `only ${listWords([...defined].map((s) => `"${s}"`))}`}; the subset must be ` +
        "defined by a DestinationRule for the same host in the same cluster, or Envoy answers 503 for this route.";
}

export const istioVirtualServiceReferencesMustResolve: StackRule = {
    scope: "stack",
    name: "istio-virtualservice-references-must-resolve",
    description: "Every VirtualService must route to hosts that are Services in the stack (or ServiceEntry hosts), " +
        "to subsets that a DestinationRule for the same host defines in the same cluster, and through Gateways " +
        "that exist in that cluster.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            externalHosts: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Destination hosts served outside this stack (exact, or *.domain).",
            },
            externalGateways: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Gateways managed outside this stack, as namespace/name (e.g. istio-system/public).",
            },
        },
    },
    check(stack, config): Violation[] {
        const violations: Violation[] = [];
        const externalGateways = stringList(config["externalGateways"]);
        for (const vs of stack.ofKind(ISTIO_NETWORKING, "VirtualService")) {
            const namespace = vs.namespace;
            if (typeof namespace !== "string") {
                continue;
            }
            violations.push(...gatewayViolations(stack, vs, namespace, externalGateways));
            for (const d of routeDestinations(vs)) {
                if (d.host === undefined) {
                    violations.push({
                        subject: vs,
                        message: `${describe(vs)} ${inCluster(vs)} has a destination at ${d.path} without a host; every destination must name a host.`,
                    });
                    continue;
                }
                if (typeof d.host !== "string") {
                    continue;
                }
                const fqdn = resolveHost(d.host, namespace);
                const hostProblem = hostViolation(stack, vs, d, fqdn, d.host, config);
                if (hostProblem !== undefined) {
                    violations.push({ subject: vs, message: hostProblem });
                    continue;
                }
                if (typeof d.subset === "string" && d.subset !== "") {
                    const subsetProblem = subsetViolation(stack, vs, d, fqdn, d.subset);
                    if (subsetProblem !== undefined) {
                        violations.push({ subject: vs, message: subsetProblem });
                    }
                }
            }
        }
        return violations;
    },
};
