// previewChanges: the steps of `pulumi preview --json` that change something, typed and named from
// their URNs, in resource-name order whatever order the engine printed them in.
import { describe, expect, it } from "vitest";
import { previewChanges } from "../../../dev/engine/preview-changes.ts";

const PARENTS = "urn:pulumi:dev::helloworld-grayscale::helloworld-grayscale:index:GrayscaleRelease$helloworld-grayscale:index:ClusterRelease";

describe("previewChanges", () => {
    it("keeps the steps that are not 'same', sorted by name, with each one's own type", () => {
        const json = JSON.stringify({
            steps: [
                { op: "update", urn: `${PARENTS}$kubernetes:networking.istio.io/v1:VirtualService::helloworld-mdemo-cluster2-gray-demo-vs` },
                { op: "same", urn: `${PARENTS}$kubernetes:apps/v1:Deployment::helloworld-mdemo-cluster1-helloworld-v2` },
                { op: "update", urn: `${PARENTS}$kubernetes:networking.istio.io/v1:VirtualService::helloworld-mdemo-cluster1-gray-demo-vs`, detailedDiff: { "spec.http[0].route[0].weight": { kind: "update" } } },
                { op: "same", urn: "urn:pulumi:dev::helloworld-grayscale::pulumi:pulumi:Stack::helloworld-grayscale-dev" },
            ],
        });
        expect(previewChanges(json).map((c) => [c.op, c.type, c.name, c.detailedDiff])).toEqual([
            ["update", "kubernetes:networking.istio.io/v1:VirtualService", "helloworld-mdemo-cluster1-gray-demo-vs", { "spec.http[0].route[0].weight": { kind: "update" } }],
            ["update", "kubernetes:networking.istio.io/v1:VirtualService", "helloworld-mdemo-cluster2-gray-demo-vs", undefined],
        ]);
    });

    it("reads the type of a resource without parents", () => {
        const json = JSON.stringify({ steps: [{ op: "create", urn: "urn:pulumi:dev::p::pulumi:providers:kubernetes::mdemo-cluster1" }] });
        expect(previewChanges(json)).toEqual([
            { op: "create", urn: "urn:pulumi:dev::p::pulumi:providers:kubernetes::mdemo-cluster1", type: "pulumi:providers:kubernetes", name: "mdemo-cluster1" },
        ]);
    });
});
