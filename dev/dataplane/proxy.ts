// How a pod's proxy is started: the environment, proxy config and arguments Istio's sidecar injector
// (and, for a gateway, Istio's gateway chart) would give `pilot-agent proxy`, for a pod that is a
// network namespace and a folder instead of a container. pilot-agent reads its files relative to its
// working folder (./var/run/secrets/..., ./etc/istio/...), so each pod's folder stands in for the
// container's file system (podFolderLayout).
import path from "node:path";
import type { DataPlanePod } from "./pods.ts";

/** The uid and gid Istio's proxy runs as; istio-iptables lets this uid's traffic out unredirected. */
export const PROXY_UID = 1337;
/** Envoy's health port (15021) and pilot-agent's status port with the merged Prometheus stats (15020). */
export const HEALTH_PORT = 15021;
export const STATUS_PORT = 15020;
/** Istio's gateway chart maps the Service's port 80 to this unprivileged port of the proxy. */
export const GATEWAY_HTTP_PORT = 8080;

/** The files each pod folder holds, relative to it: where pilot-agent looks for them. */
export const podFolderLayout = {
    /** The pod's service account token, audience istio-ca (a projected token's path). */
    token: "var/run/secrets/tokens/istio-token",
    /** The mesh's root certificate (the istio-ca-root-cert config map's mount). */
    rootCert: "var/run/secrets/istio/root-cert.pem",
    /** The pod's labels in the downward API's format, which the agent sends istiod as metadata. */
    labels: "etc/istio/pod/labels",
    annotations: "etc/istio/pod/annotations",
    /** Where the agent writes Envoy's bootstrap and its sockets. */
    proxyConfig: "etc/istio/proxy",
    log: "proxy.log",
    appLog: "app.log",
} as const;

export interface ProxyInputs {
    /** The mesh config's defaultConfig (istiod's mesh.yaml), as injection merges it into each proxy's. */
    meshDefaultConfig: Record<string, unknown>;
    /** Where pods reach istiod's TLS port (host:port on the pod network). */
    discoveryAddress: string;
    /** Envoy and the bootstrap template as copies the proxy's uid can read. */
    envoyBinary: string;
    bootstrapTemplate: string;
}

/** The proxy config of one pod (PROXY_CONFIG): the mesh's defaults with the local data plane's paths. */
export function proxyConfig(inputs: ProxyInputs): Record<string, unknown> {
    return {
        ...inputs.meshDefaultConfig,
        discoveryAddress: inputs.discoveryAddress,
        binaryPath: inputs.envoyBinary,
        proxyBootstrapTemplatePath: inputs.bootstrapTemplate,
        configPath: `./${podFolderLayout.proxyConfig}`,
        statusPort: STATUS_PORT,
        // A pod is stopped only after the route has left it (a retirement's first up): no drain needed.
        terminationDrainDuration: "1s",
    };
}

/** The downward API's file format: one `key="value"` a line, sorted. */
export function downwardApiFile(values: Record<string, string>): string {
    return Object.keys(values).sort().map((key) => `${key}=${JSON.stringify(values[key])}`).join("\n");
}

/** pilot-agent's environment for the pod, as the injector's template sets it. */
export function proxyEnvironment(pod: DataPlanePod, config: Record<string, unknown>): Record<string, string> {
    return {
        POD_NAME: pod.name,
        POD_NAMESPACE: pod.namespace,
        INSTANCE_IP: pod.ip,
        SERVICE_ACCOUNT: pod.serviceAccount,
        HOST_IP: pod.ip,
        PROXY_CONFIG: JSON.stringify(config),
        ISTIO_META_CLUSTER_ID: pod.cluster,
        ISTIO_META_WORKLOAD_NAME: pod.workload,
        ISTIO_META_OWNER: `kubernetes://apis/apps/v1/namespaces/${pod.namespace}/deployments/${pod.workload}`,
        ISTIO_META_INTERCEPTION_MODE: "REDIRECT",
        ...(pod.app === undefined ? {} : {
            ISTIO_META_APP_CONTAINERS: "app",
            ISTIO_META_POD_PORTS: JSON.stringify([{ containerPort: pod.app.port, protocol: "TCP" }]),
        }),
        JWT_POLICY: "third-party-jwt",
        PILOT_CERT_PROVIDER: "istiod",
        // The discovery address is an IP, so the agent is told which name istiod's certificate
        // carries. CA_ADDR stays unset: set, the agent would check the CA's certificate against the
        // address instead, and signing fails on the name.
        ISTIOD_SAN: "istiod.istio-system.svc",
        TRUST_DOMAIN: "cluster.local",
    };
}

/** `pilot-agent proxy ...` for the pod: a sidecar, or a gateway in router mode. */
export function proxyArgs(pod: DataPlanePod): string[] {
    return ["proxy", pod.role === "gateway" ? "router" : "sidecar",
        `--domain=${pod.namespace}.svc.cluster.local`,
        "--proxyLogLevel=warning", "--proxyComponentLogLevel=misc:error", "--log_output_level=default:info"];
}

/**
 * istio-init's arguments (the injector's defaults): redirect the pod's inbound TCP to Envoy's 15006
 * and its outbound to 15001, except the proxy's own traffic (uid 1337) and the ports Envoy and the
 * agent serve themselves.
 */
export function interceptionArgs(): string[] {
    return ["istio-iptables", "-p", "15001", "-z", "15006", "-u", String(PROXY_UID), "-m", "REDIRECT",
        "-i", "*", "-x", "", "-b", "*", "-d", `15090,${HEALTH_PORT},${STATUS_PORT}`, "--log_output_level=default:info"];
}

/** A file of the pod's folder. */
export function podFile(podDir: string, file: keyof typeof podFolderLayout): string {
    return path.join(podDir, podFolderLayout[file]);
}
