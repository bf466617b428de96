import { hostMatches } from "./lib/hosts.ts";
import { describe, is, ISTIO_NETWORKING, type K8sObject } from "./lib/model.ts";
import { inCluster, stringList, type ResourceRule } from "./lib/rule.ts";
import { asArray, at, isUnknown, UNKNOWN, type Unknown } from "./lib/values.ts";

const REQUIRED = "ISTIO_MUTUAL";

/** Why a mode other than ISTIO_MUTUAL hurts, in reviewer terms. */
function consequence(mode: string): string {
    switch (mode) {
        case "DISABLE":
            return "DISABLE sends plaintext, which STRICT peers reject";
        case "SIMPLE":
            return "SIMPLE presents no client certificate, so STRICT peers reject it and the caller has no mesh identity";
        case "MUTUAL":
            return "MUTUAL uses certificates the application manages instead of the mesh's workload identities";
        default:
            return `'${mode}' is not a TLS mode Istio accepts`;
    }
}

/**
 * The TLS mode a traffic policy sets: undefined when it sets no TLS, UNKNOWN during preview. Istio
 * reads a `tls` block without a mode as DISABLE.
 */
function tlsMode(trafficPolicy: unknown): string | Unknown | undefined {
    const tls = at(trafficPolicy, "tls");
    if (isUnknown(tls)) {
        return UNKNOWN;
    }
    if (tls === undefined || tls === null) {
        return undefined;
    }
    const mode = at(tls, "mode");
    if (isUnknown(mode)) {
        return UNKNOWN;
    }
    return typeof mode === "string" ? mode : "DISABLE";
}

function portLevelViolations(trafficPolicy: unknown, where: string, who: string): string[] {
    const settings = at(trafficPolicy, "portLevelSettings");
    const out: string[] = [];
    (asArray(settings) ?? []).forEach((setting, i) => {
        const mode = tlsMode(setting);
        if (typeof mode === "string" && mode !== REQUIRED) {
            const port = at(setting, "port", "number");
            const which = typeof port === "number" ? `port ${port}` : `entry ${i}`;
            out.push(`${who} sets tls.mode ${mode} for ${which} in ${where}portLevelSettings; it must be ${REQUIRED} (${consequence(mode)}).`);
        }
    });
    return out;
}

export const istioDestinationRuleRequiresIstioMutual: ResourceRule = {
    scope: "resource",
    name: "istio-destinationrule-requires-istio-mutual",
    description: "Every DestinationRule must set trafficPolicy.tls.mode ISTIO_MUTUAL, and any subset or port-level " +
        "setting that sets TLS must keep ISTIO_MUTUAL, so that traffic between sidecars stays on mesh mutual TLS.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            exemptHosts: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Hosts (exact, or *.domain) of services outside the mesh whose DestinationRules " +
                    "originate TLS themselves, e.g. api.example.com with SIMPLE.",
            },
        },
    },
    appliesTo: (object) => is(object, ISTIO_NETWORKING, "DestinationRule"),
    check(object: K8sObject, config): string[] {
        const spec = at(object.body, "spec");
        if (isUnknown(spec)) {
            return [];
        }
        const host = at(spec, "host");
        if (typeof host === "string" && stringList(config["exemptHosts"]).some((p) => hostMatches(p, host))) {
            return [];
        }
        const who = `${describe(object)} ${inCluster(object)}`;
        const messages: string[] = [];
        const trafficPolicy = at(spec, "trafficPolicy");
        const top = tlsMode(trafficPolicy);
        if (top === undefined) {
            messages.push(`${who} sets no trafficPolicy.tls; it must set trafficPolicy.tls.mode: ${REQUIRED} ` +
                `so that traffic to ${typeof host === "string" ? host : "its host"} uses mesh mutual TLS.`);
        } else if (typeof top === "string" && top !== REQUIRED) {
            messages.push(`${who} sets trafficPolicy.tls.mode ${top}; it must be ${REQUIRED} (${consequence(top)}).`);
        }
        messages.push(...portLevelViolations(trafficPolicy, "trafficPolicy.", who));
        const subsets = at(spec, "subsets");
        (asArray(subsets) ?? []).forEach((subset, i) => {
            const name = at(subset, "name");
            const label = typeof name === "string" ? `"${name}"` : `#${i}`;
            const subsetPolicy = at(subset, "trafficPolicy");
            const mode = tlsMode(subsetPolicy);
            if (typeof mode === "string" && mode !== REQUIRED) {
                messages.push(`${who} overrides TLS in subset ${label} with tls.mode ${mode}; every subset that sets ` +
                    `TLS must use ${REQUIRED} (${consequence(mode)}).`);
            }
            messages.push(...portLevelViolations(subsetPolicy, `subset ${label} trafficPolicy.`, who));
        });
        return messages;
    },
};
