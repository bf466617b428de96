// The shape of each key of the stack config, as zod schemas with the defaults the README documents.
// Rules that relate keys to each other live in cross-field.ts.
import { z } from "zod";
import { ISTIO_API_VERSIONS, type IstioApiVersion } from "../mesh/api-versions.ts";
import { DNS1123_LABEL_MAX_LENGTH, DNS1123_LABEL_PATTERN } from "../mesh/names.ts";
import { rolloutSchema } from "./rollout.ts";

const dnsLabel = (what: string) =>
    z.string({ error: `must be a ${what} (a string)` })
        .max(DNS1123_LABEL_MAX_LENGTH, { error: `${what} must be at most ${DNS1123_LABEL_MAX_LENGTH} characters` })
        .regex(DNS1123_LABEL_PATTERN, {
            error: `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
        });

const port = z.number({ error: "must be a port number" })
    .int({ error: "must be a whole number from 1 to 65535" })
    .min(1, { error: "must be a port number from 1 to 65535" })
    .max(65535, { error: "must be a port number from 1 to 65535" });

/**
 * Where a cluster's provider sends objects: a kubeconfig context, a whole kubeconfig, or, in the
 * provider's render mode, a directory (the provider rejects credentials beside it).
 */
export const CLUSTER_TARGETS = ["context", "kubeconfig", "renderYamlToDirectory"] as const;

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

/** One schema per top-level key (`helloworld-grayscale:<key>`). */
export const rawConfigSchema = z.object({
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
    rollout: rolloutSchema,
});

export type RawConfig = z.infer<typeof rawConfigSchema>;
export type ConfigKey = keyof RawConfig;

/** The keys this program reads, in the order the README documents them. */
export const CONFIG_KEYS = Object.keys(rawConfigSchema.shape) as ConfigKey[];
