// The shape of each key of the stack config, as zod schemas holding every default that does not depend
// on another key (the ones that do, such as the Service's port following the app's, are computed in
// effective.ts). Every schema carries its own message, so no zod wording reaches a user. Rules that
// relate keys to each other, or need the mesh's rules, live in cross-field.ts. The component's args
// (components/release-args.ts) are these same keys, with a provider in place of each cluster's target.
import { z } from "zod";
import { ISTIO_API_VERSIONS, type IstioApiVersion } from "../mesh/api-versions.ts";
import { DNS1123_LABEL_MAX_LENGTH, DNS1123_LABEL_PATTERN } from "../mesh/names.ts";
import { quantityValue } from "../mesh/quantity.ts";
import { rolloutSchema } from "./rollout.ts";
import { routingSchema } from "./routing.ts";
import { DEFAULT_VERSION_PATTERN, versionPatternProblem } from "./version-pattern.ts";

const dnsLabel = (what: string) =>
    z.string({ error: `must be a ${what} (a string)` })
        .max(DNS1123_LABEL_MAX_LENGTH, { error: `${what} must be at most ${DNS1123_LABEL_MAX_LENGTH} characters` })
        .regex(DNS1123_LABEL_PATTERN, {
            error: `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
        });

const port = z.number({ error: "must be a port number from 1 to 65535" })
    .int({ error: "must be a whole number from 1 to 65535" })
    .min(1, { error: "must be a port number from 1 to 65535" })
    .max(65535, { error: "must be a port number from 1 to 65535" });

export const flag = z.boolean({ error: "must be true or false" });

const httpPath = (example: string) => z.string({ error: `must be an HTTP path (a string) such as ${example}` })
    .regex(/^\/[^\s?#]*$/, { error: `must be an absolute HTTP path without query, such as ${example}` });

/** A container environment variable's name, as Kubernetes accepts it for a C-like program. */
const envName = z.string({ error: "must be an environment variable name (a string) such as SERVICE_VERSION" })
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "must be an environment variable name: letters, digits and '_', not starting with a digit" });

/**
 * The application the release runs: the `app` label of its pods (which its Service selects), its
 * Deployments' prefix and container name, and how its container is reached and checked.
 */
export const appSchema = z.strictObject({
    name: dnsLabel("app name"),
    port: port,
    healthPath: httpPath("/healthz").optional(),
    versionVariable: envName.optional(),
    checkPath: httpPath("/hello").default("/"),
    versionPattern: z.string({ error: "must be a regular expression (a string) such as 'version: (\\w+)'" })
        .superRefine((text, ctx) => {
            const problem = versionPatternProblem(text);
            if (problem !== undefined) {
                ctx.addIssue({ code: "custom", message: `${problem}`, input: text });
            }
        }).default(DEFAULT_VERSION_PATTERN),
}, { error: "is required: a map such as { name: checkout, port: 8080 }" });

const weight = z.number({ error: "must be a whole number from 0 to 100" })
    .int({ error: "must be a whole number from 0 to 100" })
    .min(0, { error: "must be a whole number from 0 to 100" })
    .max(100, { error: "must be a whole number from 0 to 100" });

/**
 * Where a cluster's provider sends objects: a kubeconfig context, a whole kubeconfig, or, in the
 * provider's render mode, a directory (the provider rejects credentials beside it).
 */
export const CLUSTER_TARGETS = ["context", "kubeconfig", "renderYamlToDirectory"] as const;

export const clusterSchema = z.strictObject({
    context: z.string({ error: "must name a kubeconfig context (a string)" }).min(1, { error: "must name a kubeconfig context" }).optional(),
    kubeconfig: z.string({ error: "must hold a whole kubeconfig (a string, set with --secret)" })
        .min(1, { error: "must hold a kubeconfig (set it with --secret)" }).optional(),
    istioConfig: flag.default(false),
    workloads: flag.default(true),
    renderYamlToDirectory: z.string({ error: "must name a directory (a string)" }).min(1, { error: "must name a directory" }).optional(),
    // This config target's own split, in place of `weights` (a wave of a cluster-by-cluster rollout).
    weights: z.record(z.string(), weight, { error: "must be a map of version name to weight, e.g. { v1: 50, v2: 50 }" }).optional(),
}, { error: "must be a map such as { context: my-cluster, istioConfig: true }" });

const quantity = z.string({ error: "must be a Kubernetes quantity (a string) such as 100m, 0.5, 128Mi or 1Gi" })
    .refine((text) => quantityValue(text) !== undefined, { error: "must be a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi" });
const resourceListSchema = z.strictObject({ cpu: quantity, memory: quantity }, { error: "must be a map { cpu, memory }, e.g. { cpu: 100m, memory: 128Mi }" });

/**
 * Replicas per cluster. Kubernetes takes any int32, but a grayscale of the helloworld sample past a
 * thousand pods per cluster is a typo (an extra zero) far more often than a plan.
 */
export const MAX_REPLICAS = 1000;

export const versionSchema = z.strictObject({
    clusters: z.array(z.string({ error: "must be a cluster name (a string)" }), { error: "must be a list of cluster names, e.g. [mdemo-cluster1]" }).default([]),
    replicas: z.number({ error: `must be a whole number from 1 to ${MAX_REPLICAS}` })
        .int({ error: `must be a whole number from 1 to ${MAX_REPLICAS}` })
        .min(1, { error: `must be a whole number from 1 to ${MAX_REPLICAS}` })
        .max(MAX_REPLICAS, { error: `must be a whole number from 1 to ${MAX_REPLICAS} (pods per cluster)` }).default(1),
    image: z.string({ error: "is required: a pinned image reference (a string) such as registry/name:tag" }),
    retired: flag.default(false),
    resources: z.strictObject({ requests: resourceListSchema, limits: resourceListSchema }, {
        error: "must be a map { requests: { cpu, memory }, limits: { cpu, memory } }",
    }).optional(),
}, { error: "must be a map such as { clusters: [mdemo-cluster1], replicas: 1 }" });

/** One schema per top-level key (`helloworld-grayscale:<key>`). */
export const rawConfigSchema = z.object({
    app: appSchema,
    clusters: z.record(z.string(), clusterSchema, { error: "is required: a map of cluster name to { context | kubeconfig }" }),
    versions: z.record(z.string(), versionSchema, { error: "is required: a map of version name to { clusters: [...] }" }),
    weights: z.record(z.string(), weight, { error: "is required: a map of version name to weight, e.g. { v1: 80, v2: 20 }" }),
    // Left out, these three follow the app too (effective.ts): namespace app.name, gateway.name
    // <app>-gateway, virtualService.name app.name; so two releases in one stack never share an object.
    namespace: dnsLabel("namespace name").optional(),
    // Each left out follows the app (effective.ts): name app.name, port app.port, portName http-<port>.
    service: z.strictObject({
        name: dnsLabel("Service name").optional(),
        port: port.optional(),
        portName: z.string({ error: "must be a port name (a string) such as http-5000" }).optional(),
    }, { error: "must be a map such as { name: helloworld, port: 5000, portName: http-5000 }" }).prefault({}),
    gateway: z.strictObject({
        name: dnsLabel("Gateway name").optional(),
        hosts: z.array(z.string({ error: "must be a host name (a string) such as hello.example.com or *" }), {
            error: "must be a list of hosts, e.g. [\"*\"] or [hello.example.com]",
        }).min(1, { error: "must list at least one host (\"*\" for any)" }).default(["*"]),
        port: port.default(80),
        selector: z.record(
            z.string(),
            z.string({ error: (issue) => `must be a label value, which is a string: quote it, as "${String(issue.input)}"` }),
            { error: "must be a map of pod labels, e.g. { istio: ingressgateway }" },
        ).default({ istio: "ingressgateway" }),
    }, { error: "must be a map such as { name: gray-demo-gateway, hosts: [\"*\"], port: 80 }" }).prefault({}),
    virtualService: z.strictObject({ name: dnsLabel("VirtualService name").optional() }, {
        error: "must be a map such as { name: gray-demo-vs }",
    }).prefault({}),
    istioApiVersion: z.enum(Object.keys(ISTIO_API_VERSIONS) as [IstioApiVersion, ...IstioApiVersion[]], {
        error: `must be one of ${Object.keys(ISTIO_API_VERSIONS).join(", ")}`,
    }).default("networking.istio.io/v1"),
    injection: z.strictObject({ revision: dnsLabel("revision").nullable().default(null) }, {
        error: (issue) => (typeof issue.input === "string"
            ? `must be a map: to inject with Istio revision '${issue.input}', write injection: { revision: ${issue.input} }`
            : "must be a map such as { revision: canary }, or left out for istio-injection: enabled"),
    }).prefault({}),
    peerAuthentication: z.enum(["STRICT", "PERMISSIVE", "none"], { error: "must be STRICT, PERMISSIVE or none" })
        .default("STRICT"),
    // False when another release in the stack (or the platform) owns the namespace: this release then
    // creates neither the namespace nor its namespace-wide PeerAuthentication.
    createNamespace: flag.default(true),
    protectNamespace: flag.default(true),
    routing: routingSchema,
    rollout: rolloutSchema,
});

export type RawConfig = z.infer<typeof rawConfigSchema>;
export type ConfigKey = keyof RawConfig;

/** The keys this program reads, in the order the README documents them. */
export const CONFIG_KEYS = Object.keys(rawConfigSchema.shape) as ConfigKey[];

/** The keys a map at `path` (under rawConfigSchema) may hold, for "did you mean". */
export function knownKeysAt(path: readonly PropertyKey[]): string[] {
    let schema: z.ZodType = rawConfigSchema;
    for (const part of path) {
        schema = unwrapSchema(schema);
        if (schema instanceof z.ZodObject) {
            schema = (schema.shape as Record<string, z.ZodType>)[String(part)] ?? z.never();
        } else if (schema instanceof z.ZodRecord) {
            schema = schema.valueType as z.ZodType;
        } else if (schema instanceof z.ZodArray) {
            schema = schema.element as z.ZodType;
        } else {
            return [];
        }
    }
    schema = unwrapSchema(schema);
    return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** The schema inside default, prefault, optional and nullable wrappers. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
    return schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable
        ? unwrapSchema(schema.unwrap() as z.ZodType)
        : schema;
}
