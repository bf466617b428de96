// A policy as a pure function of Kubernetes objects. The pack wraps each rule for the Pulumi engine
// (policy/policies.ts) and `npm run analyze` runs the same rules over YAML (evaluate below).
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { ClusterRef, K8sObject } from "./model.ts";
import { indexStack, type StackIndex } from "./stack.ts";

export type Level = "advisory" | "mandatory";
/** What a user may configure: Pulumi's levels; `remediate` is treated as mandatory (no rule remediates). */
export type ConfiguredLevel = Level | "disabled" | "remediate";

/** A policy's config values after defaults from its schema are applied. */
export type RuleConfig = Readonly<Record<string, unknown>>;

interface RuleBase {
    /** Kebab-case, says what it demands. */
    readonly name: string;
    /** One or two whole sentences; the engine prints it above each violation. */
    readonly description: string;
    readonly enforcementLevel: Level;
    readonly configSchema?: PolicyConfigSchema;
}

/**
 * Judges one object alone; runs before the object is created, unless it is mesh-only: whether an
 * object's namespace is in the mesh is a question about the whole stack, so the engine then runs it on
 * the stack (policies.ts).
 */
export interface ResourceRule extends RuleBase {
    readonly scope: "resource";
    /** Judges only objects in namespaces that are in the mesh (StackIndex.inMesh). */
    readonly meshOnly?: boolean;
    appliesTo(object: K8sObject): boolean;
    /** Whole-sentence messages, one per violation; empty when compliant or not yet knowable. */
    check(object: K8sObject, config: RuleConfig): string[];
}

/** What a stack rule reports against: an object, or a place where an object is missing. */
export type Subject = Pick<K8sObject, "kind" | "name" | "namespace" | "urn" | "source"> & { cluster: ClusterRef };

export interface Violation {
    subject: Subject;
    message: string;
}

/** Judges objects against each other (across clusters); runs on the whole stack. */
export interface StackRule extends RuleBase {
    readonly scope: "stack";
    check(stack: StackIndex, config: RuleConfig): Violation[];
}

export type Rule = ResourceRule | StackRule;

/** Per-policy settings in the format of Pulumi's `--policy-pack-config` file (after shorthand expansion). */
export interface PolicySettings {
    enforcementLevel?: ConfiguredLevel;
    [key: string]: unknown;
}

export interface Finding {
    policy: string;
    level: Level;
    subject: Subject;
    message: string;
}

/** Schema defaults under what the user configured, minus the enforcement level. */
export function ruleConfig(rule: Rule, supplied: Readonly<Record<string, unknown>> | undefined): RuleConfig {
    const config: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(rule.configSchema?.properties ?? {})) {
        if (schema.default !== undefined) {
            config[key] = schema.default;
        }
    }
    for (const [key, value] of Object.entries(supplied ?? {})) {
        if (key !== "enforcementLevel") {
            config[key] = value;
        }
    }
    return config;
}

export function effectiveLevel(rule: Rule, settings: PolicySettings | undefined): Level | "disabled" {
    const level = settings?.enforcementLevel ?? rule.enforcementLevel;
    return level === "remediate" ? "mandatory" : level;
}

/**
 * The objects a resource rule judges: those it applies to, and for a mesh-only rule only those whose
 * namespace is known to be in the mesh. `stack` is asked for only when the rule is mesh-only.
 */
export function judgedObjects(rule: ResourceRule, objects: readonly K8sObject[], stack: () => StackIndex): K8sObject[] {
    const applicable = objects.filter((o) => rule.appliesTo(o));
    if (rule.meshOnly !== true) {
        return applicable;
    }
    const index = stack();
    return applicable.filter((o) => typeof o.namespace === "string" && index.inMesh(o.namespace) === true);
}

/** Runs every enabled rule over the objects of a stack: resource rules per object, stack rules once. */
export function evaluate(
    rules: readonly Rule[],
    objects: readonly K8sObject[],
    settings: Readonly<Record<string, PolicySettings>> = {},
): Finding[] {
    const findings: Finding[] = [];
    let index: StackIndex | undefined;
    const stack = () => (index ??= indexStack(objects));
    for (const rule of rules) {
        const level = effectiveLevel(rule, settings[rule.name]);
        if (level === "disabled") {
            continue;
        }
        const config = ruleConfig(rule, settings[rule.name]);
        if (rule.scope === "resource") {
            for (const object of judgedObjects(rule, objects, stack)) {
                for (const message of rule.check(object, config)) {
                    findings.push({ policy: rule.name, level, subject: object, message });
                }
            }
        } else {
            for (const violation of rule.check(stack(), config)) {
                findings.push({ policy: rule.name, level, ...violation });
            }
        }
    }
    return findings;
}

/** "in cluster mdemo-cluster1", for messages about one cluster's object. */
export function inCluster(subject: { cluster: ClusterRef }): string {
    return `in cluster ${subject.cluster.name}`;
}

/** Reads a config value that the schema declares as a list of strings. */
export function stringList(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
