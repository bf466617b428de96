// Issue #16: the README promises that no request is routed to a version that is going away. Measured
// on traffic: a steady stream of requests through the real gateway while `pulumi up` changes the
// weights, and while v1 is taken offline in the README's two `up`s (weight 0, then retired: its
// Deployment, pod and subset go). Not one request may fail, by status or by connection.
import { describe, expect, it } from "vitest";
import { burst, failures, steadyStream, type Tally } from "../../dev/traffic/requests.ts";
import { waitUntil } from "../../dev/clusters/kube-api.ts";
import { dataPlaneState, helloUrl, useTrafficStack } from "./support/traffic-stack.ts";

const NAMESPACE = "gray-steady";

const stack = useTrafficStack(NAMESPACE);

/** Runs `change` under a steady stream of requests that goes on for a moment after it, and returns what the stream saw. */
async function underTraffic(change: () => void | Promise<void>): Promise<Tally> {
    const stream = steadyStream(helloUrl());
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await change();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return stream.stop();
}

describe("requests during a release", () => {
    it("all succeed while a weight change is applied, and the new weights take over", async () => {
        const seen = await underTraffic(() => {
            stack.workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=20", "--plaintext", "weights.v2=80"]);
            stack.workspace.mustRun(["up", "--yes"]);
        });
        expect(seen.total).toBeGreaterThan(100);
        expect(seen.statuses.size + seen.connectionErrors.size, failures(seen)).toBe(0);
        const after = await burst(helloUrl(), 400);
        // 20% of 400 is 80, standard deviation 8: five of them either side.
        expect(after.versions.get("v1") ?? 0).toBeGreaterThanOrEqual(40);
        expect(after.versions.get("v1") ?? 0).toBeLessThanOrEqual(120);
    });

    it("all succeed while v1 is taken offline in two `up`s, and v1's pod leaves the data plane", async () => {
        const drained = await underTraffic(() => {
            stack.workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=0", "--plaintext", "weights.v2=100"]);
            stack.workspace.mustRun(["up", "--yes"]);
        });
        expect(drained.statuses.size + drained.connectionErrors.size, failures(drained)).toBe(0);
        const retired = await underTraffic(async () => {
            stack.workspace.mustRun(["config", "set", "--path", "versions.v1.retired", "true"]);
            stack.workspace.mustRun(["up", "--yes"]);
            await waitUntil("v1's pod gone from the data plane", 60_000, () =>
                dataPlaneState().pods.some((p) => p.namespace === NAMESPACE && p.version === "v1") ? undefined : true);
        });
        expect(retired.total).toBeGreaterThan(100);
        expect(retired.statuses.size + retired.connectionErrors.size, failures(retired)).toBe(0);
        expect([...retired.versions.keys()]).toEqual(["v2"]);
    });
});
