// Istio's own samples through `npm run analyze`, as a user would first try the pack. The manifests in
// fixtures/bookinfo and fixtures/helloworld are written for these tests in the shape of Istio's
// samples/bookinfo and samples/helloworld: the same objects, names, ports, labels and subsets.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runTool } from "../support/run-tool.ts";

const SAMPLES = fileURLToPath(new URL("fixtures/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "analyze-samples-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Each finding as `level policy Kind/namespace/name`, then the summary line. */
function analyze(...args: string[]): { status: number | null; findings: string[]; summary: string | undefined; stderr: string } {
    const run = runTool("analyze", args);
    const lines = run.stdout.split("\n").filter((l) => l !== "");
    return {
        status: run.status,
        findings: lines.slice(0, -1).map((l) => l.split("  ").filter((_, i) => i !== 2 && i < 4).join(" ")),
        summary: lines.at(-1),
        stderr: run.stderr,
    };
}

const deployments = ["details-v1", "productpage-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3"];

describe("Istio's samples through npm run analyze", () => {
    it("passes bookinfo in one folder with only its real findings: unrouted subsets without pods, permissive mTLS, root and no limits", () => {
        expect(analyze(join(SAMPLES, "bookinfo"))).toEqual({
            status: 0,
            findings: [
                // destination-rule-all-mtls defines subsets for versions bookinfo.yaml does not deploy; virtual-service-all-v1 routes to v1 only.
                "advisory istio-destinationrule-unrouted-subsets-should-select-pods DestinationRule/default/details",
                "advisory istio-destinationrule-unrouted-subsets-should-select-pods DestinationRule/default/ratings",
                "advisory istio-destinationrule-unrouted-subsets-should-select-pods DestinationRule/default/ratings",
                "advisory istio-destinationrule-unrouted-subsets-should-select-pods DestinationRule/default/ratings",
                "advisory istio-peerauthentication-must-be-strict Namespace/default",
                ...deployments.map((d) => `advisory kubernetes-workload-must-run-as-non-root Deployment/default/${d}`),
                ...deployments.map((d) => `advisory kubernetes-workload-requires-resource-requests-and-limits Deployment/default/${d}`),
            ],
            summary: "24 objects in 1 cluster checked against 15 policies: 0 mandatory, 17 advisory. OK: no mandatory policy is violated.",
            stderr: "",
        });
    });

    it("passes helloworld with its gateway, in one cluster", () => {
        expect(analyze(join(SAMPLES, "helloworld"))).toEqual({
            status: 0,
            findings: [
                "advisory istio-peerauthentication-must-be-strict Namespace/default",
                "advisory kubernetes-workload-must-run-as-non-root Deployment/default/helloworld-v1",
                "advisory kubernetes-workload-must-run-as-non-root Deployment/default/helloworld-v2",
                "advisory kubernetes-workload-requires-resource-requests-and-limits Deployment/default/helloworld-v1",
                "advisory kubernetes-workload-requires-resource-requests-and-limits Deployment/default/helloworld-v2",
            ],
            summary: "5 objects in 1 cluster checked against 15 policies: 0 mandatory, 5 advisory. OK: no mandatory policy is violated.",
            stderr: "",
        });
    });

    it("splits the files into clusters only when asked: bookinfo's VirtualServices then have no DestinationRule beside them", () => {
        const split = analyze("--cluster-from-filename", join(SAMPLES, "bookinfo"));
        expect([split.status, split.summary]).toEqual([1, "24 objects in 4 clusters checked against 15 policies: 4 mandatory, 19 advisory. FAIL: a mandatory policy is violated."]);
        expect(split.findings.slice(0, 4)).toEqual(["details", "productpage", "ratings", "reviews"].map(
            (s) => `mandatory istio-virtualservice-references-must-resolve VirtualService/default/${s}`,
        ));
    });

    it("gives no mandatory finding to a sample deployed beside add-ons in kube-system", () => {
        const dir = join(scratch, "bookinfo-with-kube-dns");
        cpSync(join(SAMPLES, "bookinfo"), dir, { recursive: true });
        cpSync(join(SAMPLES, "kube-dns.yaml"), join(dir, "kube-dns.yaml"));
        const run = analyze(dir);
        expect([run.status, run.summary]).toEqual([0, "26 objects in 1 cluster checked against 15 policies: 0 mandatory, 17 advisory. OK: no mandatory policy is violated."]);
    });
});
