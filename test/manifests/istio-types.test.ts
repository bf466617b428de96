// The Istio specs the builders produce are typed from Istio's schemas, so that a builder that
// misspells a value or a field fails `npm run typecheck`: each `@ts-expect-error` below is itself an
// error (TS2578, unused directive) the moment the line it marks type-checks, e.g. with
// `spec: Record<string, unknown>`. At run time the same objects fail Istio's schema, which shows each
// line really holds the mistake its comment names.
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1/DestinationRule";
import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1/Gateway";
import { VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication";
import { describe, expect, it } from "vitest";
import { istioManifest } from "../../manifests/types.ts";

const metadata = { name: "helloworld", namespace: "gray-demo" };

function destinationRuleWithMisspeltTlsMode() {
    return istioManifest("networking.istio.io/v1", "DestinationRule", metadata, {
        host: "helloworld.gray-demo.svc.cluster.local",
        trafficPolicy: {
            tls: {
                // @ts-expect-error ISTIO_MUTAL is no TLS mode: the type check must refuse it.
                mode: "ISTIO_MUTAL",
            },
        },
    });
}

function destinationRuleWithMisspeltField() {
    return istioManifest("networking.istio.io/v1", "DestinationRule", metadata, {
        host: "helloworld.gray-demo.svc.cluster.local",
        // @ts-expect-error trafficpolicy is no field of a DestinationRule (the API server would prune it silently).
        trafficpolicy: { tls: { mode: "ISTIO_MUTUAL" } },
    });
}

function peerAuthenticationWithUnknownMode() {
    return istioManifest("security.istio.io/v1", "PeerAuthentication", metadata, {
        mtls: {
            // @ts-expect-error STRICTLY is no mTLS mode.
            mode: "STRICTLY",
        },
    });
}

function gatewayWithPortAsText() {
    return istioManifest("networking.istio.io/v1", "Gateway", metadata, {
        servers: [{
            port: {
                // @ts-expect-error a port number is a number.
                number: "80",
                name: "http-80",
                protocol: "HTTP",
            },
            hosts: ["*"],
        }],
    });
}

function virtualServiceWithWeightAsText() {
    return istioManifest("networking.istio.io/v1", "VirtualService", metadata, {
        hosts: ["*"],
        http: [{
            route: [{
                destination: { host: "helloworld.gray-demo.svc.cluster.local", subset: "v1" },
                // @ts-expect-error a weight is a number.
                weight: "80",
            }],
        }],
    });
}

describe("typed Istio specs", () => {
    it.each<[string, () => void]>([
        ["a misspelt TLS mode", () => new DestinationRule(destinationRuleWithMisspeltTlsMode()).validate()],
        ["an unknown mTLS mode", () => new PeerAuthentication(peerAuthenticationWithUnknownMode()).validate()],
        ["a port number as text", () => new Gateway(gatewayWithPortAsText()).validate()],
        ["a weight as text", () => new VirtualService(virtualServiceWithWeightAsText()).validate()],
    ])("refuse %s, which Istio's schema rejects too", (_name, validate) => {
        expect(validate).toThrow();
    });

    it("refuse a misspelt field, which Istio's schema would let through (and the API server prune)", () => {
        const manifest = destinationRuleWithMisspeltField();
        expect(Object.keys(manifest.spec)).toContain("trafficpolicy");
        expect(() => new DestinationRule(manifest).validate()).not.toThrow();
    });
});
