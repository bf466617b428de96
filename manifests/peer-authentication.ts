import type { ReleaseSpec } from "../config/index.ts";
import { istioManifest, type PeerAuthenticationManifest } from "./types.ts";

/**
 * Namespace-wide mTLS mode for the sidecars' inbound side. `default` is the conventional name for the
 * namespace-wide policy (no selector). None when the stack sets peerAuthentication: none.
 */
export function peerAuthenticationManifest(
    config: Pick<ReleaseSpec, "namespace" | "peerAuthentication" | "securityApiVersion">,
): PeerAuthenticationManifest | undefined {
    if (config.peerAuthentication === "none") {
        return undefined;
    }
    const metadata = { name: "default", namespace: config.namespace };
    return istioManifest(config.securityApiVersion, "PeerAuthentication", metadata, { mtls: { mode: config.peerAuthentication } });
}
