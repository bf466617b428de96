// Rules that relate keys to each other, which a per-key schema cannot express. A rule runs only
// when every key it relates parsed; the keys that did not are reported already.
import { gatewayHostProblem } from "../mesh/hosts.ts";
import { isPinnedImage, parseImageReference } from "../mesh/image-reference.ts";
import { isDns1123Label, isIanaServiceName } from "../mesh/names.ts";
import { RESERVED_NAMESPACES } from "../mesh/namespaces.ts";
import { ISTIO_PROTOCOLS, isHttpProtocol, portProtocol } from "../mesh/protocols.ts";
import { quantityValue } from "../mesh/quantity.ts";
import { effectiveNamespace, effectiveService } from "./effective.ts";
import { wavesProblems } from "./rollout.ts";
import type { ConfigProblem } from "./problems.ts";
import { CLUSTER_TARGETS, type RawConfig } from "./schema.ts";

/** Version names become Deployment names (`<app>-<version>`), which must stay DNS-1123 labels. */
const VERSION_NAME_MAX_LENGTH = 50;

/** The keys the rules read, as the stack's config or the component's args give them. */
export type RuleInput = Partial<Omit<RawConfig, "clusters" | "versions">> & {
    clusters?: Record<string, Partial<Record<typeof CLUSTER_TARGETS[number], string>> & {
        istioConfig: boolean;
        workloads: boolean;
        weights?: Record<string, number>;
    }>;
    /** An image that is not a string yet (an Output of an image build) is checked by the pack, once it is known. */
    versions?: Record<string, Omit<RawConfig["versions"][string], "image"> & { image: unknown }>;
};

export interface RuleOptions {
    /** Each cluster names its target (a stack's config); false when the caller hands in providers (the component). */
    clusterTargets: boolean;
}

export function crossFieldProblems(cfg: RuleInput, options: RuleOptions = { clusterTargets: true }): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const add = (path: string, message: string) => problems.push({ path, message });
    const clusters = cfg.clusters ?? {};
    const versions = cfg.versions ?? {};
    const weights = cfg.weights ?? {};

    const clusterNames = Object.keys(clusters);
    if (cfg.clusters !== undefined && clusterNames.length === 0) {
        add("clusters", "must name at least one cluster");
    }
    for (const [name, cluster] of Object.entries(clusters)) {
        if (!isDns1123Label(name)) {
            add(`clusters.${name}`, "cluster names must be DNS-1123 labels (lowercase letters, digits, '-'); rename the cluster");
        }
        const targets = CLUSTER_TARGETS.filter((key) => cluster[key] !== undefined);
        if (!options.clusterTargets) {
            // The caller's provider is the target.
        } else if (targets.length === 0) {
            add(`clusters.${name}`, "needs exactly one of 'context' or 'kubeconfig' (or 'renderYamlToDirectory'); set one of them");
        } else if (targets.length > 1) {
            // The target last in CLUSTER_TARGETS' order is the likelier intent (a kubeconfig replacing a
            // context, render mode replacing credentials): name the commands that remove the others.
            const kept = targets.at(-1) as string;
            const removals = targets.slice(0, -1).map((key) => `pulumi config rm --path clusters.${name}.${key}`).join(" and ");
            add(`clusters.${name}`, `has ${targets.map((key) => `'${key}'`).join(" and ")}; keep exactly one: to use '${kept}', run ${removals}`);
        }
        if (!cluster.istioConfig && !cluster.workloads) {
            add(`clusters.${name}`, "neither runs workloads nor holds Istio config; set istioConfig: true or remove the cluster");
        }
    }
    if (clusterNames.length > 0 && !Object.values(clusters).some((c) => c.istioConfig)) {
        add("clusters", "no cluster is an Istio config target; set istioConfig: true on every primary (or on the config cluster)");
    }

    if (cfg.versions !== undefined && Object.keys(versions).length === 0) {
        add("versions", "must name at least one version");
    }
    for (const [name, version] of Object.entries(versions)) {
        const at = `versions.${name}`;
        if (!isDns1123Label(name) || name.length > VERSION_NAME_MAX_LENGTH) {
            add(at, `version names must be DNS-1123 labels of at most ${VERSION_NAME_MAX_LENGTH} characters (they name Deployments); rename the version`);
        }
        if (!version.retired && version.clusters.length === 0) {
            add(`${at}.clusters`, "lists no cluster; place the version on a workload cluster, or set retired: true to take it offline");
        }
        if (!version.retired && cfg.clusters !== undefined) {
            version.clusters.forEach((cluster, i) => {
                const target = clusters[cluster];
                if (target === undefined) {
                    add(`${at}.clusters[${i}]`, `'${cluster}' is not a cluster of this stack; use one of ${clusterNames.join(", ") || "(none)"}`);
                } else if (!target.workloads) {
                    add(`${at}.clusters[${i}]`, `'${cluster}' is marked workloads: false (a config-only API server); place the version on a workload cluster`);
                }
            });
            if (new Set(version.clusters).size !== version.clusters.length) {
                add(`${at}.clusters`, "lists a cluster twice; list each cluster once");
            }
        }
        const image = version.image;
        if (typeof image !== "string") {
            // Known at deployment only: the policy pack checks it then.
        } else if (parseImageReference(image) === undefined) {
            add(`${at}.image`, `'${image}' is not an image reference; write [registry/]name:tag or [registry/]name@sha256:<64 hex digits>, in lower case`);
        } else if (!isPinnedImage(image)) {
            add(`${at}.image`, `'${image}' is not pinned; use an explicit tag other than 'latest', or a digest`);
        }
        for (const resource of ["cpu", "memory"] as const) {
            const request = version.resources?.requests[resource];
            const limit = version.resources?.limits[resource];
            if (request !== undefined && limit !== undefined && (quantityValue(limit) ?? 0) < (quantityValue(request) ?? 0)) {
                add(`${at}.resources.limits.${resource}`, `${limit} is below the request of ${request}, which Kubernetes rejects; raise the limit or lower the request`);
            }
        }
    }
    if (cfg.weights !== undefined) {
        problems.push(...splitProblems("weights", weights, cfg.versions));
    }
    for (const [name, cluster] of Object.entries(clusters)) {
        if (cluster.weights === undefined) {
            continue;
        }
        if (!cluster.istioConfig) {
            add(`clusters.${name}.weights`, "is set on a cluster that holds no Istio config, where no VirtualService uses it; set istioConfig: true or remove the weights");
        }
        problems.push(...splitProblems(`clusters.${name}.weights`, cluster.weights, cfg.versions));
    }
    problems.push(...routingProblems(cfg));
    if (cfg.rollout?.waves !== undefined && cfg.clusters !== undefined) {
        problems.push(...wavesProblems(cfg.rollout.waves, clusters));
    }

    const namespace = cfg.app === undefined ? cfg.namespace : effectiveNamespace({ ...cfg, app: cfg.app });
    if (namespace !== undefined && RESERVED_NAMESPACES[namespace] !== undefined) {
        const where = cfg.namespace === undefined ? "app.name" : "namespace";
        add(where, `'${namespace}' is not the release's namespace to take: ${RESERVED_NAMESPACES[namespace]}; set namespace to one of its own`);
    }

    const service = cfg.app === undefined || cfg.service === undefined ? undefined : effectiveService({ app: cfg.app, service: cfg.service });
    const protocol = service === undefined ? undefined : portProtocol(service.portName);
    if (service !== undefined && !isIanaServiceName(service.portName)) {
        add("service.portName", `'${service.portName}' is not a valid port name: Kubernetes wants at most 15 lower-case letters, digits and '-', with at least one letter and no '-' at either end or twice in a row (e.g. http-${service.port})`);
    } else if (service !== undefined && protocol === undefined) {
        add("service.portName", `'${service.portName}' has no protocol prefix Istio recognises; name it like http-${service.port} (prefixes: ${ISTIO_PROTOCOLS.join(", ")})`);
    } else if (protocol !== undefined && !isHttpProtocol(protocol)) {
        add("service.portName", `'${service?.portName}' declares ${protocol}, which an HTTP weighted route cannot split; use an http-, http2-, grpc- or grpc-web- name`);
    }
    cfg.gateway?.hosts.forEach((host, i) => {
        const problem = gatewayHostProblem(host);
        if (problem !== undefined) {
            add(`gateway.hosts[${i}]`, `${problem}; write [namespace/]host with a fully qualified host, e.g. "*", hello.example.com or "*.example.com"`);
        }
    });
    if (cfg.gateway !== undefined && Object.keys(cfg.gateway.selector).length === 0) {
        add("gateway.selector", "must select the ingress gateway's pods, e.g. { istio: ingressgateway }");
    }
    return problems;
}

/** A split's rules, for `weights` and each cluster's own: every deployed version weighed, retired ones at 0, 100 in all. */
function splitProblems(at: string, weights: Record<string, number>, versions: RuleInput["versions"]): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const add = (path: string, message: string) => problems.push({ path, message });
    for (const [name, version] of Object.entries(versions ?? {})) {
        const weightOf = weights[name];
        if (weightOf === undefined && !version.retired) {
            add(`${at}.${name}`, `version '${name}' has no weight; set ${at}.${name} (0 keeps it deployed without traffic)`);
        }
        if (version.retired && (weightOf ?? 0) > 0) {
            add(`${at}.${name}`, `version '${name}' is retired but has weight ${weightOf}; move its traffic first (${at}.${name}=0)`);
        }
    }
    for (const name of Object.keys(weights)) {
        if (versions !== undefined && !(name in versions)) {
            add(`${at}.${name}`, `'${name}' is not a version of this stack; remove the weight or add versions.${name}`);
        }
    }
    const entries = Object.entries(weights);
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    if (entries.length > 0 && total !== 100) {
        add(at, `${entries.map(([v]) => v).join(" + ")} = ${total}; the weights must add up to exactly 100`);
    }
    return problems;
}

/** Every route of `routing` must name a version that has pods: a subset without pods answers 503. */
function routingProblems(cfg: RuleInput): ConfigProblem[] {
    const routing = cfg.routing;
    const versions = cfg.versions;
    if (routing === undefined || versions === undefined) {
        return [];
    }
    const problems: ConfigProblem[] = [];
    const deployed = Object.keys(versions).filter((name) => !versions[name]?.retired);
    const check = (path: string, version: string) => {
        const known = versions[version];
        if (known === undefined) {
            problems.push({ path, message: `'${version}' is not a version of this stack; use one of ${deployed.join(", ") || "(none)"}` });
        } else if (known.retired) {
            problems.push({ path, message: `'${version}' is retired: it has no pods to answer; use one of ${deployed.join(", ") || "(none)"}` });
        }
    };
    routing.matches.forEach((match, i) => check(`routing.matches[${i}].version`, match.version));
    if (routing.mirror !== undefined) {
        check("routing.mirror.version", routing.mirror.version);
    }
    if (routing.sticky !== undefined) {
        check("routing.sticky.version", routing.sticky.version);
    }
    return problems;
}
