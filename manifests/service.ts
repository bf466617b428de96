import type { ReleaseSpec } from "../config/index.ts";
import { appLabels } from "./labels.ts";
import type { ServiceManifest } from "./types.ts";

/**
 * The Service, the same in every workload cluster: Istio merges endpoints across clusters only for
 * Services with the same name, namespace and ports (namespace sameness). It selects `app` alone so that
 * one host reaches every version; subsets pick versions.
 */
export function serviceManifest(config: Pick<ReleaseSpec, "namespace" | "service" | "app">): ServiceManifest {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
            name: config.service.name,
            namespace: config.namespace,
            labels: { ...appLabels(config), service: config.service.name },
        },
        spec: {
            type: "ClusterIP",
            selector: appLabels(config),
            ports: [{
                name: config.service.portName,
                port: config.service.port,
                targetPort: config.app.port,
                protocol: "TCP",
            }],
        },
    };
}
