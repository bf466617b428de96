// Istio's own reading of host and gateway references (pilot's ResolveShortnameToFQDN and
// resolveGatewayName), so the pack agrees with what istiod will do rather than with Kubernetes DNS.
import { serviceFqdn } from "../../mesh/hosts.ts";

/**
 * The hostname Istio routes to: a name without a dot is a short name in the rule's namespace; a
 * name with a dot (including `name.namespace`) is taken literally.
 */
export function resolveHost(host: string, ruleNamespace: string): string {
    if (host === "*" || host.includes(".") || isIpAddress(host)) {
        return host;
    }
    return serviceFqdn(host, ruleNamespace);
}

/**
 * `name.namespace` and `name.namespace.svc` resolve in a pod's DNS but Istio does not expand them in
 * a rule, so a route to them matches no Service. Returns the Service such a host seems to mean.
 */
export function unexpandedServiceForm(host: string): { name: string; namespace: string } | undefined {
    const labels = host.split(".");
    if ((labels.length === 2 || (labels.length === 3 && labels[2] === "svc")) && labels.every((l) => l !== "" && l !== "*")) {
        return { name: labels[0] as string, namespace: labels[1] as string };
    }
    return undefined;
}

/** Whether a host pattern (`*`, `*.example.com` or an exact name) covers `host`. */
export function hostMatches(pattern: string, host: string): boolean {
    if (pattern === "*") {
        return true;
    }
    if (pattern.startsWith("*.")) {
        return host.endsWith(pattern.slice(1));
    }
    return pattern === host;
}

/**
 * `namespace/name` of a Gateway reference: `ns/name`, a bare name in the VirtualService's namespace,
 * or the legacy `name.namespace.svc.cluster.local` form.
 */
export function resolveGatewayRef(ref: string, ruleNamespace: string): string {
    const slash = ref.indexOf("/");
    if (slash >= 0) {
        return ref;
    }
    const labels = ref.split(".");
    if (labels.length >= 2) {
        return `${labels[1]}/${labels[0]}`;
    }
    return `${ruleNamespace}/${ref}`;
}

function isIpAddress(host: string): boolean {
    return /^[0-9.]+$/.test(host) || host.includes(":");
}
