import type { ReleaseSpec } from "../config/index.ts";
import { istioManifest, type GatewayManifest } from "./types.ts";

/** The ingress Gateway: plain HTTP on the configured port, bound to the ingress gateway's pods. */
export function gatewayManifest(config: Pick<ReleaseSpec, "namespace" | "gateway" | "istioApiVersion">): GatewayManifest {
    const metadata = { name: config.gateway.name, namespace: config.namespace };
    return istioManifest(config.istioApiVersion, "Gateway", metadata, {
        selector: config.gateway.selector,
        servers: [{
            port: { number: config.gateway.port, name: `http-${config.gateway.port}`, protocol: "HTTP" },
            hosts: config.gateway.hosts,
        }],
    });
}
