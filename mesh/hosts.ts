// Host names as Istio builds and validates them: a Service's mesh-wide name, and the
// `[namespace/]host` form of a Gateway server's hosts (pilot's ValidateNamespaceSlashWildcardHostname).
import { isIP } from "node:net";
import { isDns1123Label } from "./names.ts";

/** The cluster DNS domain Istio's Kubernetes registry uses for Service host names. */
export const CLUSTER_DOMAIN = "cluster.local";

/** The name Istio knows a Service by in every cluster of the mesh. */
export function serviceFqdn(name: string, namespace: string): string {
    return `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

const DOMAIN_MAX_LENGTH = 255;

/**
 * What Istio's validation would reject in a Gateway server host, or undefined when it accepts it.
 * The form is `[namespace/]host`: the namespace is `*`, `.` or a DNS-1123 label; the host is `*`, an
 * IP address, or a name with at least one dot whose first label may be `*` (`*.example.com`).
 */
export function gatewayHostProblem(entry: string): string | undefined {
    const slash = entry.indexOf("/");
    if (slash >= 0) {
        const namespace = entry.slice(0, slash);
        const host = entry.slice(slash + 1);
        if (namespace === "" || host === "") {
            return "neither the namespace nor the host of namespace/host may be empty";
        }
        if (namespace !== "*" && namespace !== "." && !isDns1123Label(namespace)) {
            return `'${namespace}' is not a namespace: use *, . or a DNS-1123 label`;
        }
        return hostProblem(host);
    }
    return hostProblem(entry);
}

function hostProblem(host: string): string | undefined {
    if (host === "*") {
        return undefined;
    }
    if (host === "") {
        return "is empty";
    }
    if (!host.includes(".")) {
        return `'${host}' is a short name, which Istio does not accept as a Gateway host`;
    }
    if (host.includes("*") && !host.startsWith("*.")) {
        return `'${host}' has a partial wildcard (only a whole first label may be *)`;
    }
    if (isIP(host) !== 0) {
        return undefined;
    }
    if (host.length > DOMAIN_MAX_LENGTH) {
        return `'${host}' is longer than ${DOMAIN_MAX_LENGTH} characters`;
    }
    const labels = host.split(".");
    // A trailing dot (an absolute name, `example.com.`) is allowed, as Istio allows it.
    if (labels.at(-1) === "" && labels.length > 1) {
        labels.pop();
    }
    if (/^[0-9]+$/.test(labels.at(-1) ?? "")) {
        return `'${host}' ends in an all-numeric label, which is neither a domain nor an IP address`;
    }
    const bad = labels.find((label, i) => !(i === 0 && label === "*") && !isDns1123Label(label));
    return bad === undefined
        ? undefined
        : `'${host}' has label '${bad}', which is not a DNS-1123 label (lower-case letters, digits and '-')`;
}

/** The gateway name that stands for every sidecar of the mesh (Istio's constants.IstioMeshGateway). */
export const MESH_GATEWAY = "mesh";

/**
 * Whether a VirtualService with these `spec.gateways` applies to the mesh's sidecars, as Istio's
 * validation decides it: when it names no gateway, or names `mesh` among them.
 */
export function appliesToMesh(gateways: readonly string[]): boolean {
    return gateways.length === 0 || gateways.includes(MESH_GATEWAY);
}
