import { describe, ISTIO_SECURITY, type ClusterRef, type K8sObject } from "./lib/model.ts";
import { inCluster, type StackRule, type Subject, type Violation } from "./lib/rule.ts";
import type { StackIndex } from "./lib/stack.ts";
import { asObject, asString, at, containsUnknown, isUnknown } from "./lib/values.ts";

/** UNSET inherits from the parent scope; every other mode but STRICT accepts plaintext. */
const ACCEPTED = new Set(["STRICT", "UNSET"]);

function weakModes(pa: K8sObject): string[] {
    const messages: string[] = [];
    const who = `${describe(pa)} ${inCluster(pa)}`;
    const mode = at(pa.body, "spec", "mtls", "mode");
    if (typeof mode === "string" && !ACCEPTED.has(mode)) {
        messages.push(`${who} sets mtls.mode ${mode}; it must be STRICT so that workloads refuse plaintext connections.`);
    }
    const ports = asObject(at(pa.body, "spec", "portLevelMtls"));
    for (const [port, setting] of Object.entries(ports ?? {})) {
        const portMode = at(setting, "mode");
        if (typeof portMode === "string" && !ACCEPTED.has(portMode)) {
            messages.push(`${who} sets mtls.mode ${portMode} for port ${port}; it must be STRICT so that the port refuses plaintext connections.`);
        }
    }
    return messages;
}

/** A namespace-wide policy: no selector, or one that selects nothing in particular. */
function isNamespaceWide(pa: K8sObject): boolean | undefined {
    const labels = at(pa.body, "spec", "selector", "matchLabels");
    if (containsUnknown(labels)) {
        return undefined;
    }
    return Object.keys(asObject(labels) ?? {}).length === 0;
}

/** The mode of the namespace-wide PeerAuthentication of one namespace; undefined when there is none or it inherits. */
type Scope = { mode: string | undefined } | "unknown" | "none";

function scopeMode(policies: readonly K8sObject[]): Scope {
    let found: Scope = "none";
    for (const pa of policies) {
        const wide = isNamespaceWide(pa);
        const mode = at(pa.body, "spec", "mtls", "mode");
        if (wide === undefined || isUnknown(mode)) {
            return "unknown";
        }
        if (wide) {
            const value = asString(mode);
            found = { mode: value === "UNSET" ? undefined : value };
        }
    }
    return found;
}

function namespaceSubject(stack: StackIndex, cluster: ClusterRef, namespace: string): Subject {
    return stack.namespaceObject(cluster.key, namespace) ?? { cluster, kind: "Namespace", name: namespace, namespace: undefined };
}

export const istioPeerAuthenticationMustBeStrict: StackRule = {
    scope: "stack",
    name: "istio-peerauthentication-must-be-strict",
    description: "Every namespace that holds mesh services must be covered by a STRICT PeerAuthentication (its own " +
        "or the root namespace's) in each cluster that holds Istio config, and no PeerAuthentication may relax it.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            rootNamespace: {
                type: "string",
                default: "istio-system",
                description: "Istio's root namespace, whose namespace-wide PeerAuthentication applies mesh-wide.",
            },
        },
    },
    check(stack, config): Violation[] {
        const root = typeof config["rootNamespace"] === "string" ? config["rootNamespace"] : "istio-system";
        const violations: Violation[] = [];
        const byScope = new Map<string, K8sObject[]>();
        const unknownScope = new Set<string>();
        for (const pa of stack.ofKind(ISTIO_SECURITY, "PeerAuthentication")) {
            for (const message of weakModes(pa)) {
                violations.push({ subject: pa, message });
            }
            if (typeof pa.namespace !== "string") {
                unknownScope.add(pa.cluster.key);
                continue;
            }
            const key = `${pa.cluster.key}\0${pa.namespace}`;
            const same = byScope.get(key);
            if (same === undefined) {
                byScope.set(key, [pa]);
            } else {
                same.push(pa);
            }
        }
        for (const cluster of stack.istioConfigClusters) {
            if (unknownScope.has(cluster.key)) {
                continue;
            }
            const meshWide = scopeMode(byScope.get(`${cluster.key}\0${root}`) ?? []);
            for (const namespace of stack.meshNamespaces) {
                const own = scopeMode(byScope.get(`${cluster.key}\0${namespace}`) ?? []);
                if (own === "unknown" || meshWide === "unknown") {
                    continue;
                }
                // An explicit weaker mode is reported against that PeerAuthentication above.
                const effective = own !== "none" && own.mode !== undefined ? own.mode
                    : meshWide !== "none" && meshWide.mode !== undefined ? meshWide.mode : undefined;
                if (effective !== undefined) {
                    continue;
                }
                const subject = namespaceSubject(stack, cluster, namespace);
                violations.push({
                    subject,
                    message: `Namespace ${namespace} in cluster ${cluster.name} is not covered by a PeerAuthentication with ` +
                        `mtls.mode STRICT, neither in ${namespace} nor in the root namespace ${root}, so its workloads accept ` +
                        `plaintext (Istio's default is PERMISSIVE); a PeerAuthentication in ${namespace} must set mtls.mode: STRICT.`,
                });
            }
        }
        return violations;
    },
};
