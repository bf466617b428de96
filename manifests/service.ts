import type { ReleaseConfig } from "../config/index.ts";
import { CONTAINER_PORT } from "./deployment.ts";
import { appLabels } from "./labels.ts";
import type { ServiceManifest } from "./types.ts";

/**
 * The Service, the same in every workload cluster: Istio merges endpoints across clusters only for
 * Services with the same name, namespace and ports (namespace sameness). It selects `app` alone so that
 * one host reaches every version; subsets pick versions.
 */
export function serviceManifest(config: Pick<ReleaseConfig, "namespace" | "service">): ServiceManifest {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
            name: config.service.name,
            namespace: config.namespace,
            labels: { ...appLabels(), service: config.service.name },
        },
        spec: {
            type: "ClusterIP",
            selector: appLabels(),
            ports: [{
                name: config.service.portName,
                port: config.service.port,
                targetPort: CONTAINER_PORT,
                protocol: "TCP",
            }],
        },
    };
}
