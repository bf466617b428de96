// The stack's configuration: one zod schema, parsed once, before any resource exists.
// Every problem is reported at once with its key path and the fix, so a user edits
// Pulumi.<stack>.yaml once instead of playing whack-a-mole with `pulumi up`.
import { z } from "zod";

/** The Pulumi project name: every key below lives under `helloworld-grayscale:`. */
export const CONFIG_NAMESPACE = "helloworld-grayscale";

/** The keys this program reads, in the order the README documents them. */
export const CONFIG_KEYS = [
    "clusters",
    "versions",
    "weights",
    "namespace",
    "service",
    "gateway",
    "virtualService",
    "istioApiVersion",
    "injection",
    "peerAuthentication",
    "protectNamespace",
] as const;

/** Images of Istio's helloworld sample, pinned, from the mirror the seed scenario uses. */
export const DEFAULT_IMAGES: Readonly<Record<string, string>> = {
    v1: "docker.m.daocloud.io/istio/examples-helloworld-v1:1.0",
    v2: "docker.m.daocloud.io/istio/examples-helloworld-v2:1.0",
};

/** Protocol prefixes Istio's protocol selection recognises in a Service port name. */
export const ISTIO_PORT_PROTOCOLS = [
    "http", "http2", "https", "grpc", "grpc-web", "tcp", "tls", "mongo", "mysql", "redis", "udp",
] as const;

/** The protocols an Istio HTTP route (and so a weighted split) can steer. */
const HTTP_ROUTABLE_PROTOCOLS = new Set(["http", "http2", "grpc", "grpc-web"]);

/** Networking API versions Istio serves, and the security API version that ships beside each. */
export const ISTIO_API_VERSIONS = {
    "networking.istio.io/v1": "security.istio.io/v1",
    "networking.istio.io/v1beta1": "security.istio.io/v1beta1",
    "networking.istio.io/v1alpha3": "security.istio.io/v1beta1",
} as const;
export type IstioApiVersion = keyof typeof ISTIO_API_VERSIONS;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsLabel = (what: string) =>
    z.string({ error: `must be a ${what} (a string)` }).max(63, { error: `${what} must be at most 63 characters` })
        .regex(DNS1123_LABEL, {
            error: `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
        });

const port = z.number({ error: "must be a port number" })
    .int({ error: "must be a whole number from 1 to 65535" })
    .min(1, { error: "must be a port number from 1 to 65535" })
    .max(65535, { error: "must be a port number from 1 to 65535" });

/** `<protocol>` or `<protocol>-<suffix>`, as Istio reads Service port names. */
export function portNameProtocol(portName: string): string | undefined {
    const longestFirst = [...ISTIO_PORT_PROTOCOLS].sort((a, b) => b.length - a.length);
    return longestFirst.find((p) => portName === p || portName.startsWith(`${p}-`));
}

/**
 * Where a cluster's provider sends objects: a kubeconfig context, a whole kubeconfig, or, in the
 * provider's render mode, a directory (the provider rejects credentials beside it).
 */
const CLUSTER_TARGETS = ["context", "kubeconfig", "renderYamlToDirectory"] as const;

const clusterSchema = z.strictObject({
    context: z.string().min(1, { error: "must name a kubeconfig context" }).optional(),
    kubeconfig: z.string().min(1, { error: "must hold a kubeconfig (set it with --secret)" }).optional(),
    istioConfig: z.boolean({ error: "must be true or false" }).default(false),
    workloads: z.boolean({ error: "must be true or false" }).default(true),
    renderYamlToDirectory: z.string().min(1, { error: "must name a directory" }).optional(),
});

const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, {
    error: "must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi",
});
const resourceListSchema = z.strictObject({ cpu: quantity, memory: quantity });

const versionSchema = z.strictObject({
    clusters: z.array(z.string(), { error: "must be a list of cluster names" }).default([]),
    replicas: z.number().int({ error: "must be a whole number" }).min(1, { error: "must be at least 1" }).default(1),
    image: z.string().min(1).optional(),
    retired: z.boolean({ error: "must be true or false" }).default(false),
    resources: z.strictObject({ requests: resourceListSchema, limits: resourceListSchema }).optional(),
});

const weight = z.number({ error: "must be a whole number from 0 to 100" })
    .int({ error: "must be a whole number from 0 to 100" })
    .min(0, { error: "must be a whole number from 0 to 100" })
    .max(100, { error: "must be a whole number from 0 to 100" });

const rawConfigSchema = z.object({
    clusters: z.record(z.string(), clusterSchema, { error: "is required: a map of cluster name to { context | kubeconfig }" }),
    versions: z.record(z.string(), versionSchema, { error: "is required: a map of version name to { clusters: [...] }" }),
    weights: z.record(z.string(), weight, { error: "is required: a map of version name to weight, e.g. { v1: 80, v2: 20 }" }),
    namespace: dnsLabel("namespace name").default("gray-demo"),
    service: z.strictObject({
        name: dnsLabel("Service name").default("helloworld"),
        port: port.default(5000),
        portName: z.string().default("http-5000"),
    }).default({ name: "helloworld", port: 5000, portName: "http-5000" }),
    gateway: z.strictObject({
        name: dnsLabel("Gateway name").default("gray-demo-gateway"),
        hosts: z.array(z.string().min(1), { error: "must be a list of host names" })
            .min(1, { error: "must list at least one host (\"*\" for any)" }).default(["*"]),
        port: port.default(80),
        selector: z.record(z.string(), z.string()).default({ istio: "ingressgateway" }),
    }).default({ name: "gray-demo-gateway", hosts: ["*"], port: 80, selector: { istio: "ingressgateway" } }),
    virtualService: z.strictObject({ name: dnsLabel("VirtualService name").default("gray-demo-vs") })
        .default({ name: "gray-demo-vs" }),
    istioApiVersion: z.enum(Object.keys(ISTIO_API_VERSIONS) as [IstioApiVersion, ...IstioApiVersion[]], {
        error: `must be one of ${Object.keys(ISTIO_API_VERSIONS).join(", ")}`,
    }).default("networking.istio.io/v1"),
    injection: z.strictObject({ revision: dnsLabel("revision").nullable().default(null) }).default({ revision: null }),
    peerAuthentication: z.enum(["STRICT", "PERMISSIVE", "none"], { error: "must be STRICT, PERMISSIVE or none" })
        .default("STRICT"),
    protectNamespace: z.boolean({ error: "must be true or false" }).default(true),
});

type RawConfig = z.infer<typeof rawConfigSchema>;

/** One Kubernetes cluster of the mesh, with the credentials its provider uses. */
export interface ClusterConfig {
    name: string;
    /** A kubeconfig context name; exactly one of context, kubeconfig and renderYamlToDirectory is set. */
    context?: string;
    /** A whole kubeconfig (a Pulumi secret in the stack file). */
    kubeconfig?: string;
    /** Istio config (DestinationRule, Gateway, VirtualService) is applied here. */
    istioConfig: boolean;
    /** Workloads and the Service run here; false marks a config-only API server. */
    workloads: boolean;
    /**
     * The provider writes this cluster's manifests into the directory instead of applying them
     * (its render mode): previews and `up` without a cluster, e.g. in review or in CI.
     */
    renderYamlToDirectory?: string;
}

/** One version of the workload and where it runs. */
export interface VersionConfig {
    name: string;
    clusters: string[];
    replicas: number;
    image: string;
    retired: boolean;
    weight: number;
    resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
}

/** The validated, defaulted configuration the release is built from. */
export interface ReleaseConfig {
    clusters: ClusterConfig[];
    versions: VersionConfig[];
    namespace: string;
    service: RawConfig["service"];
    gateway: RawConfig["gateway"];
    virtualService: RawConfig["virtualService"];
    istioApiVersion: IstioApiVersion;
    securityApiVersion: (typeof ISTIO_API_VERSIONS)[IstioApiVersion];
    injectionRevision: string | null;
    peerAuthentication: RawConfig["peerAuthentication"];
    protectNamespace: boolean;
}

/** Sized for the sample, whose /hello burns CPU on every call. */
export const DEFAULT_RESOURCES = {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "1", memory: "256Mi" },
};

/** One problem in the stack config: where it is and what to do. */
export interface ConfigProblem {
    path: string;
    message: string;
}

/** "key.path: what is wrong; what to do", as every tool prints a problem. */
export function describeProblem(problem: ConfigProblem): string {
    return `${problem.path}: ${problem.message}`;
}

/** Thrown for invalid stack config; its message lists every problem, one a line. */
export class ConfigError extends Error {
    readonly problems: ConfigProblem[];
    constructor(problems: ConfigProblem[]) {
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        super(`Invalid stack config for ${CONFIG_NAMESPACE} (${count}):\n` +
            problems.map((p) => `  - ${describeProblem(p)}`).join("\n"));
        this.name = "ConfigError";
        this.problems = problems;
    }
}

/**
 * Validates raw stack config (the values of the `helloworld-grayscale:*` keys, already decrypted or
 * replaced) and returns the release config, or throws a ConfigError that lists every problem.
 */
export function parseReleaseConfig(raw: Record<string, unknown>): ReleaseConfig {
    // Each key is parsed on its own so that one bad key does not hide the problems of the others,
    // and the cross-key rules still run on every key that parsed.
    const problems: ConfigProblem[] = [];
    const parsed: Partial<RawConfig> = {};
    const unknownKeys = Object.keys(raw).filter((key) => !(key in rawConfigSchema.shape));
    if (unknownKeys.length > 0) {
        problems.push({ path: CONFIG_NAMESPACE, message: unknownKeysMessage(unknownKeys) });
    }
    for (const [key, schema] of Object.entries(rawConfigSchema.shape)) {
        const result = schema.safeParse(raw[key]);
        if (result.success) {
            (parsed as Record<string, unknown>)[key] = result.data;
        } else {
            problems.push(...result.error.issues.map((issue) => ({
                path: formatPath([key, ...issue.path]),
                message: describeZodIssue(issue, valueAt(raw, [key, ...issue.path])),
            })));
        }
    }
    problems.push(...crossFieldProblems(parsed));
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return normalise(parsed as RawConfig);
}

function formatPath(path: readonly PropertyKey[]): string {
    return path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("").slice(1);
}

function unknownKeysMessage(keys: readonly string[]): string {
    return `unknown key(s) ${keys.map((k) => `'${k}'`).join(", ")}; remove them or fix their spelling`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
    return path.reduce<unknown>((value, key) =>
        (typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined), raw);
}

function describeZodIssue(issue: z.core.$ZodIssue, value: unknown): string {
    if (issue.code === "unrecognized_keys") {
        return unknownKeysMessage(issue.keys);
    }
    if (issue.code === "invalid_type" && value === undefined) {
        return `is required and missing; ${issue.message.replace(/^is required: /, "set it to ")}`;
    }
    return `${issue.message} (got ${JSON.stringify(value)})`;
}

/** Rules that relate keys to each other, which a per-field schema cannot express. */
function crossFieldProblems(cfg: Partial<RawConfig>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const add = (path: string, message: string) => problems.push({ path, message });
    // A rule runs only when every key it relates parsed; the keys that did not are reported already.
    const clusters = cfg.clusters ?? {};
    const versions = cfg.versions ?? {};
    const weights = cfg.weights ?? {};

    const clusterNames = Object.keys(clusters);
    if (cfg.clusters !== undefined && clusterNames.length === 0) {
        add("clusters", "must name at least one cluster");
    }
    for (const [name, cluster] of Object.entries(clusters)) {
        if (!DNS1123_LABEL.test(name) || name.length > 63) {
            add(`clusters.${name}`, "cluster names must be DNS-1123 labels (lowercase letters, digits, '-'); rename the cluster");
        }
        const targets = CLUSTER_TARGETS.filter((key) => cluster[key] !== undefined);
        if (targets.length !== 1) {
            add(`clusters.${name}`, targets.length === 0
                ? "needs exactly one of 'context' or 'kubeconfig' (or 'renderYamlToDirectory'); set one of them"
                : `has ${targets.map((key) => `'${key}'`).join(" and ")}; keep exactly one`);
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
        if (!DNS1123_LABEL.test(name) || name.length > 50) {
            add(at, "version names must be DNS-1123 labels of at most 50 characters (they name Deployments); rename the version");
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
        const image = version.image ?? DEFAULT_IMAGES[name];
        if (image === undefined) {
            add(`${at}.image`, `has no default image for version '${name}'; set image to a pinned reference (registry/name:tag)`);
        } else if (!isPinnedImage(image)) {
            add(`${at}.image`, `'${image}' is not pinned; use an explicit tag other than 'latest', or a digest`);
        }
        const weightOf = weights[name];
        if (cfg.weights !== undefined && weightOf === undefined && !version.retired) {
            add(`weights.${name}`, `version '${name}' has no weight; set weights.${name} (0 keeps it deployed without traffic)`);
        }
        if (version.retired && (weightOf ?? 0) > 0) {
            add(`weights.${name}`, `version '${name}' is retired but has weight ${weightOf}; move its traffic first (weights.${name}=0)`);
        }
    }
    for (const name of Object.keys(weights)) {
        if (cfg.versions !== undefined && !(name in versions)) {
            add(`weights.${name}`, `'${name}' is not a version of this stack; remove the weight or add versions.${name}`);
        }
    }
    const entries = Object.entries(weights);
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    if (entries.length > 0 && total !== 100) {
        add("weights", `${entries.map(([v]) => v).join(" + ")} = ${total}; the weights must add up to exactly 100`);
    }

    const service = cfg.service;
    const protocol = service === undefined ? undefined : portNameProtocol(service.portName);
    if (service !== undefined && protocol === undefined) {
        add("service.portName", `'${service.portName}' has no protocol prefix Istio recognises; name it like http-${service.port} (prefixes: ${ISTIO_PORT_PROTOCOLS.join(", ")})`);
    } else if (protocol !== undefined && !HTTP_ROUTABLE_PROTOCOLS.has(protocol)) {
        add("service.portName", `'${service?.portName}' declares ${protocol}, which an HTTP weighted route cannot split; use an http-, http2-, grpc- or grpc-web- name`);
    }
    if (cfg.gateway !== undefined && Object.keys(cfg.gateway.selector).length === 0) {
        add("gateway.selector", "must select the ingress gateway's pods, e.g. { istio: ingressgateway }");
    }
    return problems;
}

/** A tag other than `latest`, or a digest: what a reviewer can trust to mean the same image tomorrow. */
export function isPinnedImage(image: string): boolean {
    if (image.includes("@sha256:")) {
        return true;
    }
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastSegment.lastIndexOf(":");
    return colon > 0 && lastSegment.slice(colon + 1) !== "latest" && colon < lastSegment.length - 1;
}

function normalise(cfg: RawConfig): ReleaseConfig {
    return {
        clusters: Object.entries(cfg.clusters).map(([name, c]) => ({ name, ...c })),
        versions: Object.entries(cfg.versions).map(([name, v]) => ({
            name,
            clusters: v.retired ? [] : v.clusters,
            replicas: v.replicas,
            image: v.image ?? (DEFAULT_IMAGES[name] as string),
            retired: v.retired,
            weight: cfg.weights[name] ?? 0,
            resources: v.resources ?? DEFAULT_RESOURCES,
        })),
        namespace: cfg.namespace,
        service: cfg.service,
        gateway: cfg.gateway,
        virtualService: cfg.virtualService,
        istioApiVersion: cfg.istioApiVersion,
        securityApiVersion: ISTIO_API_VERSIONS[cfg.istioApiVersion],
        injectionRevision: cfg.injection.revision,
        peerAuthentication: cfg.peerAuthentication,
        protectNamespace: cfg.protectNamespace,
    };
}

/**
 * Turns the strings the Pulumi engine hands a program (structured values arrive as JSON, plain
 * strings as themselves) into the raw values parseReleaseConfig() validates.
 */
export function rawConfigFromStrings(read: (key: string) => string | undefined): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const key of CONFIG_KEYS) {
        const text = read(key);
        if (text === undefined) {
            continue;
        }
        try {
            raw[key] = JSON.parse(text);
        } catch {
            raw[key] = text;
        }
    }
    return raw;
}
