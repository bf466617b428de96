import type { ReleaseConfig, VersionConfig } from "../config/index.ts";
import { deploymentName, versionLabels } from "./labels.ts";
import type { DeploymentManifest } from "./types.ts";

/** The port the helloworld sample listens on (gunicorn binds [::]:5000 in the image). */
export const CONTAINER_PORT = 5000;
/** The sample answers 200 on /health without the CPU burn of /hello. */
export const HEALTH_PATH = "/health";
/**
 * The sample answers /hello with the version this variable names (its app.py reads it). It is set from
 * the pod's own `version` label value, so the label the subsets route by and the version the answers
 * report, which `npm run verify` counts, cannot disagree, even when a version runs another version's image.
 */
export const VERSION_ENV = "SERVICE_VERSION";
/** A non-root UID the sample image runs under: its files are world-readable and it writes only to /tmp. */
export const RUN_AS_USER = 65532;

/** One version's Deployment in one cluster. */
export function deploymentManifest(config: Pick<ReleaseConfig, "namespace">, version: VersionConfig): DeploymentManifest {
    const labels = versionLabels(version.name);
    const probe = (initialDelaySeconds: number, periodSeconds: number) => ({
        httpGet: { path: HEALTH_PATH, port: CONTAINER_PORT },
        initialDelaySeconds,
        periodSeconds,
        timeoutSeconds: 2,
        failureThreshold: 3,
    });
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: deploymentName(version.name), namespace: config.namespace, labels },
        spec: {
            replicas: version.replicas,
            selector: { matchLabels: labels },
            template: {
                metadata: { labels },
                spec: {
                    // Pod-level settings stop at seccomp: runAsNonRoot here would also bind Istio's
                    // injected init container, which needs root to program iptables when no CNI is used.
                    securityContext: { seccompProfile: { type: "RuntimeDefault" } },
                    containers: [{
                        name: "helloworld",
                        image: version.image,
                        imagePullPolicy: "IfNotPresent",
                        env: [{ name: VERSION_ENV, value: labels.version }],
                        ports: [{ name: "http", containerPort: CONTAINER_PORT, protocol: "TCP" }],
                        readinessProbe: probe(2, 5),
                        livenessProbe: probe(10, 10),
                        resources: version.resources,
                        securityContext: {
                            runAsNonRoot: true,
                            runAsUser: RUN_AS_USER,
                            runAsGroup: RUN_AS_USER,
                            allowPrivilegeEscalation: false,
                            readOnlyRootFilesystem: true,
                            capabilities: { drop: ["ALL"] },
                        },
                        // gunicorn keeps its worker heartbeat files in the temp dir.
                        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                    }],
                    volumes: [{ name: "tmp", emptyDir: {} }],
                },
            },
        },
    };
}
