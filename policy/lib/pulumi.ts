// The bridge from the Pulumi engine's view of a resource to the pack's K8sObject. Kept apart from
// the rules so that `npm run analyze` never loads @pulumi/policy (and its gRPC stack).
import { UnknownValueError } from "@pulumi/policy";
import type {
    PolicyProviderResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy,
} from "@pulumi/policy";
import { makeObject, parseTypeToken, type ClusterRef, type K8sObject } from "./model.ts";
import { judgedObjects, ruleConfig, type Rule } from "./rule.ts";
import { indexStack, type StackIndex } from "./stack.ts";
import { asObject, asString, at, UNKNOWN } from "./values.ts";

/**
 * The engine's wire sentinels for values unknown during preview (one per type). @pulumi/policy wraps
 * props in a proxy that throws on them; a value reached without the proxy still carries the sentinel.
 */
const UNKNOWN_SENTINELS = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58", "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** Copies engine props into plain data, with UNKNOWN wherever the engine sent an unknown value. */
export function plainProps(value: unknown): unknown {
    if (typeof value === "string") {
        return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const container = value as Record<string, unknown>;
    const read = (key: string | number): unknown => {
        try {
            return plainProps(container[key]);
        } catch (err) {
            if (err instanceof UnknownValueError) {
                return UNKNOWN;
            }
            throw err;
        }
    };
    if (Array.isArray(value)) {
        return Array.from({ length: value.length }, (_, i) => read(i));
    }
    return Object.fromEntries(Object.keys(value).map((key) => [key, read(key)]));
}

/** Objects sent without a provider belong to the stack's default Kubernetes provider. */
const DEFAULT_CLUSTER: ClusterRef = { key: "(default provider)", name: "(default provider)" };

interface EngineResource {
    type: string;
    props: Record<string, unknown>;
    urn: string;
    name: string;
    provider?: PolicyProviderResource;
}

/** A Kubernetes object as the engine describes it, or undefined for any other kind of resource. */
export function objectFromEngine(resource: EngineResource): K8sObject | undefined {
    const parsed = parseTypeToken(resource.type);
    if (parsed === undefined) {
        return undefined;
    }
    const provider = resource.provider;
    const providerProps = provider === undefined ? undefined : plainProps(provider.props);
    const defaultNamespace = asString(at(providerProps, "namespace"));
    return makeObject({
        cluster: provider === undefined ? DEFAULT_CLUSTER : { key: provider.urn, name: provider.name },
        ...parsed,
        body: asObject(plainProps(resource.props)) ?? {},
        urn: resource.urn,
        fallbackName: resource.name,
        ...(defaultNamespace === undefined ? {} : { defaultNamespace }),
    });
}

/**
 * The Pulumi policy that runs a rule: validateResource for resource rules, validateStack for stack rules
 * and for mesh-only resource rules (whether an object's namespace is in the mesh needs the whole stack).
 */
export function toPulumiPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    const common = {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        ...(rule.configSchema === undefined ? {} : { configSchema: rule.configSchema }),
    };
    if (rule.scope === "resource" && rule.meshOnly === true) {
        return {
            ...common,
            validateStack: (args, reportViolation: ReportViolation) => {
                const objects = args.resources.map(objectFromEngine).filter((o): o is K8sObject => o !== undefined);
                const config = ruleConfig(rule, args.getConfig<Record<string, unknown>>());
                let index: StackIndex | undefined;
                for (const object of judgedObjects(rule, objects, () => (index ??= indexStack(objects)))) {
                    for (const message of rule.check(object, config)) {
                        reportViolation(message, object.urn);
                    }
                }
            },
        };
    }
    if (rule.scope === "resource") {
        return {
            ...common,
            validateResource: (args, reportViolation: ReportViolation) => {
                const object = objectFromEngine(args);
                if (object === undefined || !rule.appliesTo(object)) {
                    return;
                }
                for (const message of rule.check(object, ruleConfig(rule, args.getConfig<Record<string, unknown>>()))) {
                    reportViolation(message);
                }
            },
        };
    }
    return {
        ...common,
        validateStack: (args, reportViolation: ReportViolation) => {
            const objects = args.resources.map(objectFromEngine).filter((o): o is K8sObject => o !== undefined);
            for (const violation of rule.check(indexStack(objects), ruleConfig(rule, args.getConfig<Record<string, unknown>>()))) {
                reportViolation(violation.message, violation.subject.urn);
            }
        },
    };
}
