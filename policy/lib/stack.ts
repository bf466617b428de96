// One pass over a stack's objects that answers the cross-resource questions in constant time, so a
// stack policy stays linear in the number of objects (50 clusters x 10 versions is ~800 objects).
import { CLUSTER_DOMAIN, serviceFqdn } from "../../mesh/hosts.ts";
import { hostMatches, resolveHost } from "./hosts.ts";
import { meshScope } from "./mesh-scope.ts";
import { is, ISTIO_NETWORKING, type ClusterRef, type K8sObject } from "./model.ts";
import { routeDestinations, routeTargets } from "./routes.ts";
import { podTemplate, type PodTemplate } from "./workloads.ts";
import { asArray, at, containsUnknown, isUnknown, stringMap, UNKNOWN, type Unknown } from "./values.ts";

export interface ServiceInfo {
    object: K8sObject;
    name: string;
    namespace: string;
    /** Undefined or empty when the Service has no selector (endpoints managed by hand). */
    selector: Readonly<Record<string, string>> | Unknown | undefined;
    /** Port numbers; UNKNOWN while preview cannot know them. */
    ports: readonly number[] | Unknown;
}

export interface WorkloadInfo {
    object: K8sObject;
    template: PodTemplate;
}

export interface SubsetInfo {
    name: string;
    labels: Readonly<Record<string, string>> | Unknown;
}

export interface DestinationRuleInfo {
    object: K8sObject;
    /** The host as Istio resolves it in the rule's namespace. */
    host: string;
    /** UNKNOWN while preview cannot know them. */
    subsets: readonly SubsetInfo[] | Unknown;
}

export interface StackIndex {
    readonly objects: readonly K8sObject[];
    /** Every cluster that holds at least one object, sorted by name. */
    readonly clusters: readonly ClusterRef[];
    ofKind(group: string, kind: string): readonly K8sObject[];
    /** Services whose hostname is `fqdn`, in every cluster. */
    servicesFor(fqdn: string): readonly ServiceInfo[];
    /** Every port that some Service named `fqdn` exposes, in any cluster; UNKNOWN when one's ports are unknown. */
    servicePortsFor(fqdn: string): ReadonlySet<number> | Unknown;
    /** Some Service's name or namespace is unknown, so "no such Service" cannot be concluded. */
    readonly servicesIncomplete: boolean;
    /** Pod-running objects of one cluster and namespace. */
    workloadsIn(cluster: string, namespace: string): readonly WorkloadInfo[];
    /** Some workload of the cluster has an unknown namespace. */
    workloadsIncomplete(cluster: string): boolean;
    namespaceObject(cluster: string, name: string): K8sObject | undefined;
    /** DestinationRules of one cluster whose host covers `fqdn` (exact hosts first, then wildcards). */
    destinationRulesFor(cluster: string, fqdn: string): readonly DestinationRuleInfo[];
    /** DestinationRules anywhere in the stack whose host is exactly `fqdn`. */
    destinationRulesAnywhere(fqdn: string): readonly DestinationRuleInfo[];
    /** Some DestinationRule of the cluster has an unknown host or namespace. */
    destinationRulesIncomplete(cluster: string): boolean;
    /** Whether the cluster holds Gateway `namespace/name`; UNKNOWN when a Gateway's name is unknown. */
    hasGateway(cluster: string, namespacedName: string): boolean | Unknown;
    /** Whether a ServiceEntry anywhere in the stack declares `host`. */
    serviceEntryCovers(host: string): boolean;
    /** Services of one cluster and namespace. */
    servicesIn(cluster: string, namespace: string): readonly ServiceInfo[];
    /** Hostnames Istio routes to: DestinationRule hosts and VirtualService destinations, resolved. */
    readonly meshHosts: ReadonlySet<string>;
    /**
     * Namespaces in the mesh, sorted: labelled for sidecar injection in some cluster, or holding a
     * Service among the mesh hosts. The mesh-only policies judge nothing outside them.
     */
    readonly meshNamespaces: readonly string[];
    /** Whether a namespace is in the mesh; UNKNOWN while preview cannot know a Namespace's labels. */
    inMesh(namespace: string): boolean | Unknown;
    /**
     * Subsets of `fqdn` that some VirtualService of the cluster routes traffic to; UNKNOWN when preview
     * cannot know one of the cluster's routes yet.
     */
    routedSubsets(cluster: string, fqdn: string): ReadonlySet<string> | Unknown;
    /** Clusters that hold Istio networking config: the config targets whose istiod reads it. */
    readonly istioConfigClusters: readonly ClusterRef[];
}

const SERVICE_HOST_SUFFIX = `.svc.${CLUSTER_DOMAIN}`;

export function indexStack(objects: readonly K8sObject[]): StackIndex {
    const clusters = new Map<string, ClusterRef>();
    const byKind = new Map<string, K8sObject[]>();
    const services = new Map<string, ServiceInfo[]>();
    const servicesByNamespace = new Map<string, ServiceInfo[]>();
    let servicesIncomplete = false;
    const workloads = new Map<string, WorkloadInfo[]>();
    const incompleteWorkloadClusters = new Set<string>();
    const namespaces = new Map<string, K8sObject>();
    const exactRules = new Map<string, DestinationRuleInfo[]>();
    const wildcardRules = new Map<string, DestinationRuleInfo[]>();
    const rulesAnywhere = new Map<string, DestinationRuleInfo[]>();
    const incompleteRuleClusters = new Set<string>();
    const gateways = new Set<string>();
    const incompleteGatewayClusters = new Set<string>();
    const serviceEntryHosts = new Set<string>();
    const serviceEntryWildcards: string[] = [];
    const meshHosts = new Set<string>();
    const routedNamespaces = new Set<string>();
    const routedSubsets = new Map<string, Set<string>>();
    const incompleteRouteClusters = new Set<string>();
    const istioConfigClusters = new Map<string, ClusterRef>();

    const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
        const list = map.get(key);
        if (list === undefined) {
            map.set(key, [value]);
        } else {
            list.push(value);
        }
    };
    const addMeshHost = (fqdn: string) => {
        meshHosts.add(fqdn);
        if (fqdn.endsWith(SERVICE_HOST_SUFFIX)) {
            const labels = fqdn.slice(0, -SERVICE_HOST_SUFFIX.length).split(".");
            if (labels.length === 2 && labels[1] !== undefined) {
                routedNamespaces.add(labels[1]);
            }
        }
    };

    for (const object of objects) {
        const c = object.cluster.key;
        clusters.set(c, object.cluster);
        push(byKind, `${object.group}/${object.kind}`, object);
        // Identity as far as it is known: a name or namespace that is unknown during preview is undefined here.
        const name = isUnknown(object.name) ? undefined : object.name;
        const namespace = typeof object.namespace === "string" ? object.namespace : undefined;
        if (object.group === ISTIO_NETWORKING) {
            istioConfigClusters.set(c, object.cluster);
        }

        if (is(object, "", "Service")) {
            if (name === undefined || namespace === undefined) {
                servicesIncomplete = true;
                continue;
            }
            const info: ServiceInfo = {
                object, name, namespace,
                selector: stringMap(at(object.body, "spec", "selector")),
                ports: servicePorts(at(object.body, "spec", "ports")),
            };
            push(services, serviceFqdn(name, namespace), info);
            push(servicesByNamespace, `${c}\0${namespace}`, info);
        } else if (is(object, "", "Namespace")) {
            if (name !== undefined) {
                namespaces.set(`${c}\0${name}`, object);
            }
        } else if (is(object, ISTIO_NETWORKING, "DestinationRule")) {
            const host = at(object.body, "spec", "host");
            if (name === undefined || namespace === undefined || typeof host !== "string") {
                incompleteRuleClusters.add(c);
                continue;
            }
            const info: DestinationRuleInfo = {
                object,
                host: resolveHost(host, namespace),
                subsets: subsetsOf(at(object.body, "spec", "subsets")),
            };
            if (info.host.startsWith("*")) {
                push(wildcardRules, c, info);
            } else {
                push(exactRules, `${c}\0${info.host}`, info);
            }
            push(rulesAnywhere, info.host, info);
            addMeshHost(info.host);
        } else if (is(object, ISTIO_NETWORKING, "Gateway")) {
            if (name !== undefined && namespace !== undefined) {
                gateways.add(`${c}\0${namespace}/${name}`);
            } else {
                incompleteGatewayClusters.add(c);
            }
        } else if (is(object, ISTIO_NETWORKING, "ServiceEntry")) {
            const hosts = at(object.body, "spec", "hosts");
            for (const h of asArray(hosts) ?? []) {
                if (typeof h === "string") {
                    if (h.startsWith("*")) {
                        serviceEntryWildcards.push(h);
                    } else {
                        serviceEntryHosts.add(h);
                    }
                }
            }
        } else if (is(object, ISTIO_NETWORKING, "VirtualService")) {
            if (namespace === undefined) {
                incompleteRouteClusters.add(c);
                continue;
            }
            for (const route of routeDestinations(object)) {
                if (typeof route.host === "string") {
                    addMeshHost(resolveHost(route.host, namespace));
                }
            }
            const targets = routeTargets(object);
            if (isUnknown(targets)) {
                incompleteRouteClusters.add(c);
                continue;
            }
            for (const target of targets) {
                const key = `${c}\0${resolveHost(target.host, namespace)}`;
                const subsets = routedSubsets.get(key) ?? new Set<string>();
                routedSubsets.set(key, subsets);
                if (target.subset !== undefined) {
                    subsets.add(target.subset);
                }
            }
        } else {
            const template = podTemplate(object);
            if (template !== undefined) {
                if (namespace !== undefined) {
                    push(workloads, `${c}\0${namespace}`, { object, template });
                } else {
                    incompleteWorkloadClusters.add(c);
                }
            }
        }
    }

    // Many routes name the same host: its ports across (say) 50 clusters are gathered once.
    const portsByHost = new Map<string, ReadonlySet<number> | Unknown>();
    const servicePortsFor = (fqdn: string): ReadonlySet<number> | Unknown => {
        let ports = portsByHost.get(fqdn);
        if (ports === undefined) {
            const lists = (services.get(fqdn) ?? []).map((s) => s.ports);
            ports = lists.some(isUnknown) ? UNKNOWN : new Set(lists.flatMap((l) => (isUnknown(l) ? [] : l)));
            portsByHost.set(fqdn, ports);
        }
        return ports;
    };

    const sortedClusters = [...clusters.values()].sort((a, b) => a.name.localeCompare(b.name));
    const scope = meshScope(byKind.get("/Namespace") ?? [], routedNamespaces);
    return {
        objects,
        clusters: sortedClusters,
        ofKind: (group, kind) => byKind.get(`${group}/${kind}`) ?? [],
        servicesFor: (fqdn) => services.get(fqdn) ?? [],
        servicePortsFor,
        servicesIncomplete,
        workloadsIn: (cluster, namespace) => workloads.get(`${cluster}\0${namespace}`) ?? [],
        workloadsIncomplete: (cluster) => incompleteWorkloadClusters.has(cluster),
        namespaceObject: (cluster, name) => namespaces.get(`${cluster}\0${name}`),
        destinationRulesFor: (cluster, fqdn) => {
            const exact = exactRules.get(`${cluster}\0${fqdn}`) ?? [];
            const wild = (wildcardRules.get(cluster) ?? []).filter((r) => hostMatches(r.host, fqdn));
            return exact.length > 0 ? exact : wild;
        },
        destinationRulesAnywhere: (fqdn) => rulesAnywhere.get(fqdn) ?? [],
        destinationRulesIncomplete: (cluster) => incompleteRuleClusters.has(cluster),
        hasGateway: (cluster, namespacedName) => gateways.has(`${cluster}\0${namespacedName}`)
            || (incompleteGatewayClusters.has(cluster) ? UNKNOWN : false),
        serviceEntryCovers: (host) => serviceEntryHosts.has(host)
            || serviceEntryWildcards.some((pattern) => hostMatches(pattern, host)),
        servicesIn: (cluster, namespace) => servicesByNamespace.get(`${cluster}\0${namespace}`) ?? [],
        meshHosts,
        meshNamespaces: scope.namespaces,
        inMesh: (namespace) => scope.inMesh(namespace),
        routedSubsets: (cluster, fqdn) => incompleteRouteClusters.has(cluster)
            ? UNKNOWN
            : routedSubsets.get(`${cluster}\0${fqdn}`) ?? new Set<string>(),
        istioConfigClusters: [...istioConfigClusters.values()].sort((a, b) => a.name.localeCompare(b.name)),
    };
}

function servicePorts(value: unknown): readonly number[] | Unknown {
    if (containsUnknown(value)) {
        return UNKNOWN;
    }
    return (asArray(value) ?? []).map((p) => at(p, "port")).filter((p): p is number => typeof p === "number");
}

function subsetsOf(value: unknown): readonly SubsetInfo[] | Unknown {
    if (isUnknown(value)) {
        return value;
    }
    const out: SubsetInfo[] = [];
    for (const entry of asArray(value) ?? []) {
        const name = at(entry, "name");
        if (isUnknown(name) || isUnknown(entry)) {
            return UNKNOWN;
        }
        if (typeof name === "string") {
            out.push({ name, labels: stringMap(at(entry, "labels")) ?? {} });
        }
    }
    return out;
}
