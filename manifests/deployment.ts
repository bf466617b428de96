import type { ReleaseSpec, VersionSpec } from "../config/index.ts";
import { deploymentName, versionLabels } from "./labels.ts";
import type { DeploymentManifest } from "./types.ts";

/** A non-root UID to run as: images built for non-root (as the helloworld sample is) keep their files world-readable. */
export const RUN_AS_USER = 65532;

/** One version's Deployment in one cluster. */
export function deploymentManifest(spec: Pick<ReleaseSpec, "namespace" | "app">, version: VersionSpec): DeploymentManifest {
    const labels = versionLabels(spec, version.name);
    const { port, healthPath, versionVariable } = spec.app;
    // Without a health path the probes only check that the port accepts connections.
    const check = healthPath === undefined ? { tcpSocket: { port } } : { httpGet: { path: healthPath, port } };
    const probe = (initialDelaySeconds: number, periodSeconds: number) => ({
        ...check,
        initialDelaySeconds,
        periodSeconds,
        timeoutSeconds: 2,
        failureThreshold: 3,
    });
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: deploymentName(spec, version.name), namespace: spec.namespace, labels },
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
                        name: spec.app.name,
                        image: version.image,
                        imagePullPolicy: "IfNotPresent",
                        // Set from the pod's own `version` label value, so the label the subsets route by and
                        // the version an app reports (helloworld's /hello does) cannot disagree, even when a
                        // version runs another version's image.
                        ...(versionVariable === undefined ? {} : { env: [{ name: versionVariable, value: labels.version }] }),
                        ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
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
                        // A writable temp dir under the read-only root (gunicorn keeps its worker heartbeats there).
                        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                    }],
                    volumes: [{ name: "tmp", emptyDir: {} }],
                },
            },
        },
    };
}
