// Which objects the stack takes back from hand edits (README, "Hand edits of the release's objects").
import { describe, expect, it } from "vitest";
import { parseReleaseConfig } from "../../config/index.ts";
import { planRelease } from "../../manifests/plan.ts";
import { PATCH_FORCE_ANNOTATION } from "../../manifests/types.ts";
import { devStackConfig } from "../support/dev-stack.ts";

describe("pulumi.com/patchForce in the dev stack's plan", () => {
    const objects = planRelease(parseReleaseConfig(devStackConfig())).flatMap((plan) => plan.manifests);

    it("is set on every routing and mTLS object", () => {
        const istio = objects.filter((m) => ["DestinationRule", "Gateway", "VirtualService", "PeerAuthentication"].includes(m.kind));
        expect(istio.map((m) => m.kind).sort()).toEqual([
            "DestinationRule", "DestinationRule", "Gateway", "Gateway", "PeerAuthentication", "PeerAuthentication",
            "VirtualService", "VirtualService", "VirtualService", "VirtualService",
        ]);
        for (const m of istio) {
            expect(m.metadata.annotations?.[PATCH_FORCE_ANNOTATION], `${m.kind}/${m.metadata.name}`).toBe("true");
        }
    });

    it("is not set on the Deployments, Services and namespaces, whose fields controllers may own (an HPA's replicas)", () => {
        const others = objects.filter((m) => ["Deployment", "Service", "Namespace"].includes(m.kind));
        expect(others.length).toBe(6);
        expect(others.filter((m) => m.metadata.annotations?.[PATCH_FORCE_ANNOTATION] !== undefined)).toEqual([]);
    });
});
