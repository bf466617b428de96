// Istio's own validation (its admission webhook, `istioctl validate`) refuses some objects the other
// policies have no reason to look at; with the webhook installed `pulumi up` would fail on them
// half-way, and without it istiod would drop them. This rule mirrors those of Istio's checks that
// the pack's fixtures have met, and `npm run test:istio` holds the whole pack against the real
// istioctl over every fixture and render, so a check missing here shows up there.
import { appliesToMesh, MESH_GATEWAY } from "../mesh/hosts.ts";
import { describe, is, ISTIO_NETWORKING, ISTIO_SECURITY, type K8sObject } from "./lib/model.ts";
import { inCluster, type ResourceRule } from "./lib/rule.ts";
import { asArray, asObject, at, containsUnknown } from "./lib/values.ts";
import { ROUTE_SECTIONS } from "./lib/routes.ts";

function strings(list: unknown): string[] {
    return (asArray(list) ?? []).filter((v): v is string => typeof v === "string");
}

function virtualServiceProblems(vs: K8sObject): string[] {
    const spec = at(vs.body, "spec");
    if (containsUnknown(spec)) {
        return [];
    }
    const who = `${describe(vs)} ${inCluster(vs)}`;
    const problems: string[] = [];
    if (ROUTE_SECTIONS.every((section) => (asArray(at(spec, section)) ?? []).length === 0)) {
        problems.push(`${who} has no http, tcp or tls route, which Istio's validation rejects ("http, tcp or tls must ` +
            "be provided in virtual service\"); it must have at least one route, or be removed.");
    }
    (asArray(at(spec, "tls")) ?? []).forEach((route, i) => {
        const matches = asArray(at(route, "match")) ?? [];
        const problem = matches.length === 0 ? "has no match" : matches.some((m) => strings(at(m, "sniHosts")).length === 0)
            ? "has a match without sniHosts" : undefined;
        if (problem !== undefined) {
            problems.push(`${who} route tls[${i}] ${problem}, which Istio's validation rejects ("TLS route must have at least ` +
                "one match condition\", \"TLS match must have at least one SNI host\"); every tls route must match on SNI hosts.");
        }
    });
    const gateways = strings(at(spec, "gateways"));
    if (appliesToMesh(gateways) && strings(at(spec, "hosts")).includes("*")) {
        const binding = gateways.length === 0 ? "it names no gateway" : `its gateways include ${MESH_GATEWAY}`;
        problems.push(`${who} applies to the mesh's sidecars (${binding}) with host '*', which Istio's validation rejects ` +
            "(\"wildcard host * is not allowed for virtual services bound to the mesh gateway\"); it must name the hosts " +
            "it routes (such as the Service's name), or bind to Gateways only.");
    }
    return problems;
}

function peerAuthenticationProblems(pa: K8sObject): string[] {
    const spec = at(pa.body, "spec");
    if (containsUnknown(spec)) {
        return [];
    }
    const selects = Object.keys(asObject(at(spec, "selector", "matchLabels")) ?? {}).length > 0;
    const ports = Object.keys(asObject(at(spec, "portLevelMtls")) ?? {});
    return !selects && ports.length > 0
        ? [`${describe(pa)} ${inCluster(pa)} sets portLevelMtls for port ${ports.join(", ")} without a workload selector, ` +
            "which Istio's validation rejects (\"mesh/namespace peer authentication cannot have port level mTLS\"); it must " +
            "select workloads with selector.matchLabels, or set mtls.mode for the whole namespace instead."]
        : [];
}

export const istioConfigMustPassIstioValidation: ResourceRule = {
    scope: "resource",
    name: "istio-config-must-pass-istio-validation",
    description: "Istio objects must pass Istio's own validation: a VirtualService must have an http, tcp or tls route, " +
        "match every tls route on SNI hosts and, when it applies to the mesh's sidecars, name its hosts rather than '*'; " +
        "a PeerAuthentication with portLevelMtls must select workloads.",
    enforcementLevel: "mandatory",
    appliesTo: (object) => is(object, ISTIO_NETWORKING, "VirtualService") || is(object, ISTIO_SECURITY, "PeerAuthentication"),
    check(object): string[] {
        return object.kind === "VirtualService" ? virtualServiceProblems(object) : peerAuthenticationProblems(object);
    },
};
