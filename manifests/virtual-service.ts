import type { ReleaseSpec } from "../config/index.ts";
import { routedVersions, serviceHost, subsetName } from "./labels.ts";
import { istioManifest, type VirtualServiceManifest } from "./types.ts";

/**
 * The weighted split. Only versions with a weight above 0 get a destination: Istio rejects nothing
 * about a 0-weight destination, but leaving it out makes "no traffic" visible in the object itself.
 * This is the one object a weight change touches.
 */
export function virtualServiceManifest(
    config: Pick<ReleaseSpec, "namespace" | "service" | "versions" | "gateway" | "virtualService" | "istioApiVersion">,
): VirtualServiceManifest {
    const host = serviceHost(config);
    const metadata = { name: config.virtualService.name, namespace: config.namespace };
    return istioManifest(config.istioApiVersion, "VirtualService", metadata, {
        hosts: config.gateway.hosts,
        gateways: [config.gateway.name],
        http: [{
            name: config.service.portName,
            route: routedVersions(config).map((v) => ({
                destination: { host, subset: subsetName(v.name), port: { number: config.service.port } },
                weight: v.weight,
            })),
        }],
    });
}
