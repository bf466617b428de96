// How Istio reads a Service port's protocol (pilot's kube.ConvertProtocol and protocol.Parse): the
// program's config and the policy pack must agree with istiod, not with each other's guesses.

/** The protocols Istio's protocol.Parse knows, by the lower-case names a port name carries. */
export const ISTIO_PROTOCOLS = [
    "http", "http2", "https", "grpc", "grpc-web", "tcp", "tls", "mongo", "mysql", "redis", "udp", "http_proxy",
] as const;
export type IstioProtocol = (typeof ISTIO_PROTOCOLS)[number];

const GRPC_WEB = "grpc-web";

/**
 * The protocol Istio gives a TCP Service port, or undefined when it gives none (Istio then sniffs).
 * A set `appProtocol` is read instead of the name. The name's prefix is compared case-insensitively;
 * `grpc-web` is tested first as a plain prefix, because it holds the '-' that ends every other prefix
 * (so `grpc-web-x` and even `grpc-webx` are gRPC-Web, while `grpc-x` is gRPC).
 */
export function portProtocol(portName: string, appProtocol?: string): IstioProtocol | undefined {
    // Kubernetes rejects an empty appProtocol, so an empty string can only mean "not set" here.
    const name = appProtocol !== undefined && appProtocol !== "" ? appProtocol : portName;
    if (name.slice(0, GRPC_WEB.length).toLowerCase() === GRPC_WEB) {
        return GRPC_WEB;
    }
    const prefix = name.split("-", 1)[0]?.toLowerCase();
    return ISTIO_PROTOCOLS.find((protocol) => protocol === prefix);
}

/** Protocols Istio carries over HTTP (protocol.IsHTTP): only these ports take a VirtualService `http` route. */
const HTTP_PROTOCOLS: ReadonlySet<IstioProtocol> = new Set(["http", "http2", "http_proxy", "grpc", "grpc-web"]);

export function isHttpProtocol(protocol: IstioProtocol): boolean {
    return HTTP_PROTOCOLS.has(protocol);
}
