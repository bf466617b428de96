// The owner's third use: the policy pack enforcing ISTIO_MUTUAL, run by the engine during a preview.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, inject, it } from "vitest";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { devStack } from "./support/stacks.ts";

const PLAINTEXT_RELEASE = fileURLToPath(new URL("fixtures/plaintext-release.ts", import.meta.url));
const RELEASE_WITH_ADDONS = fileURLToPath(new URL("fixtures/release-with-addons.ts", import.meta.url));

const workspaces: PulumiWorkspace[] = [];

function workspaceFor(program?: string): PulumiWorkspace {
    const workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), program, config: devStack(), renderMode: true });
    workspaces.push(workspace);
    return workspace;
}

describe("`pulumi preview --policy-pack`", () => {
    afterEach(() => workspaces.splice(0).forEach((w) => w.remove()));

    it("passes the dev stack", () => {
        const workspace = workspaceFor();
        const preview = workspace.run(["preview", "--policy-pack", workspace.policyPack]);
        expect(preview.status, preview.stdout + preview.stderr).toBe(0);
        expect(preview.stdout).toMatch(/✅ helloworld-grayscale@v0\.1\.0/);
        expect(preview.stdout).not.toMatch(/mandatory|advisory/);
    });

    it("fails a stack whose DestinationRules are not ISTIO_MUTUAL, naming each rule, subset and the fix", () => {
        const workspace = workspaceFor(PLAINTEXT_RELEASE);
        const preview = workspace.run(["preview", "--policy-pack", workspace.policyPack]);
        expect(preview.status).not.toBe(0);
        const output = preview.stdout + preview.stderr;
        // "- [mandatory]  <policy>  (<type>: <resource>)": mutual TLS is the only policy this stack breaks.
        const violations = [...output.matchAll(/- \[(\w+)\]\s+(\S+)\s+\((\S+): ([^)]+)\)/g)].map((m) => m.slice(1).join(" "));
        const expected = (cluster: string) =>
            `mandatory istio-destinationrule-requires-istio-mutual kubernetes:networking.istio.io/v1:DestinationRule helloworld-${cluster}-helloworld`;
        expect(violations).toEqual([...Array(3).fill(expected("mdemo-cluster1")), ...Array(3).fill(expected("mdemo-cluster2"))]);
        for (const cluster of ["mdemo-cluster1", "mdemo-cluster2"]) {
            expect(output).toContain(`DestinationRule gray-demo/helloworld in cluster helloworld-${cluster} sets trafficPolicy.tls.mode DISABLE; it must be ISTIO_MUTUAL`);
            for (const subset of ["v1", "v2"]) {
                expect(output).toContain(`DestinationRule gray-demo/helloworld in cluster helloworld-${cluster} overrides TLS in subset "${subset}" with tls.mode DISABLE`);
            }
        }
    });

    it("judges port names only in the mesh's namespaces: kube-dns beside the release passes, a mesh Service does not", () => {
        const workspace = workspaceFor(RELEASE_WITH_ADDONS);
        const preview = workspace.run(["preview", "--policy-pack", workspace.policyPack]);
        const output = preview.stdout + preview.stderr;
        expect(preview.status, output).not.toBe(0);
        const violations = [...output.matchAll(/- \[(\w+)\]\s+(\S+)\s+\((\S+): ([^)]+)\)/g)].map((m) => m.slice(1).join(" "));
        expect(violations).toEqual(["mandatory istio-service-ports-must-declare-protocol kubernetes:core/v1:Service helloworld-metrics"]);
        expect(output).toContain("Service gray-demo/helloworld-metrics in cluster addons port 9090 is named 'metrics', which carries no Istio protocol prefix");
        expect(output).not.toContain("kube-dns in cluster");
    });
});
