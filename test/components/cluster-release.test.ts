import { describe, expect, it } from "vitest";
import { ClusterRelease } from "../../components/cluster-release.ts";
import { parseReleaseConfig } from "../../config/index.ts";
import { planRelease } from "../../manifests/plan.ts";
import { devStackConfig } from "../support/dev-stack.ts";
import { allRegistered, recordRegistrations } from "../support/recording-monitor.ts";

describe("ClusterRelease", () => {
    it("refuses a plan that lists an object before one it follows, before registering any object", async () => {
        const registrations = await recordRegistrations();
        const [plan] = planRelease(parseReleaseConfig(devStackConfig()));
        const reversed = [...(plan?.objects ?? [])].reverse();
        expect(() => new ClusterRelease("c1", { objects: reversed }))
            .toThrow("c1: PeerAuthentication/default follows Namespace/gray-demo, which the plan does not list before it");
        await allRegistered();
        expect(registrations.filter((r) => r.custom)).toEqual([]);
    });
});
