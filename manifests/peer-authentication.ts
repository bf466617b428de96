import type { ReleaseConfig } from "../config.ts";
import type { IstioManifest } from "./types.ts";

/**
 * Namespace-wide mTLS mode for the sidecars' inbound side. `default` is the conventional name for the
 * namespace-wide policy (no selector). None when the stack sets peerAuthentication: none.
 */
export function peerAuthenticationManifest(
    config: Pick<ReleaseConfig, "namespace" | "peerAuthentication" | "securityApiVersion">,
): IstioManifest | undefined {
    if (config.peerAuthentication === "none") {
        return undefined;
    }
    return {
        apiVersion: config.securityApiVersion,
        kind: "PeerAuthentication",
        metadata: { name: "default", namespace: config.namespace },
        spec: { mtls: { mode: config.peerAuthentication } },
    };
}
