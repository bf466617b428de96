// The order of objects in a rendered file: by kind in apply order, then by namespace and name, so two
// objects of one kind come out the same way whatever order the plan lists them in.
import { describe, expect, it } from "vitest";
import { parseReleaseConfig } from "../../../config/index.ts";
import { deploymentManifest } from "../../../manifests/deployment.ts";
import { namespaceManifest } from "../../../manifests/namespace.ts";
import type { Manifest } from "../../../manifests/types.ts";
import { sortManifests } from "../../../tools/render/cluster-yaml.ts";
import { devStackConfig } from "../../support/dev-stack.ts";

const config = parseReleaseConfig(devStackConfig());
const [v1, v2] = config.versions;
if (v1 === undefined || v2 === undefined) {
    throw new Error("the dev stack has two versions");
}
const names = (manifests: readonly Manifest[]) => manifests.map((m) => `${m.kind}/${m.metadata.namespace ?? ""}/${m.metadata.name}`);

describe("sortManifests", () => {
    it.each<[string, Manifest[]]>([
        ["in name order", [deploymentManifest(config, v1), deploymentManifest(config, v2)]],
        ["in reverse name order", [deploymentManifest(config, v2), deploymentManifest(config, v1)]],
    ])("orders two Deployments given %s by name", (_name, deployments) => {
        expect(names(sortManifests(deployments))).toEqual(["Deployment/gray-demo/helloworld-v1", "Deployment/gray-demo/helloworld-v2"]);
    });

    it("orders two objects of one kind and name by namespace", () => {
        const other = { ...deploymentManifest(config, v1), metadata: { ...deploymentManifest(config, v1).metadata, namespace: "a-team" } };
        expect(names(sortManifests([deploymentManifest(config, v1), other]))).toEqual([
            "Deployment/a-team/helloworld-v1", "Deployment/gray-demo/helloworld-v1",
        ]);
    });

    it("puts kind before name: a Namespace named after everything else still comes first", () => {
        const namespace = namespaceManifest({ ...config, namespace: "zz-last" });
        expect(names(sortManifests([deploymentManifest(config, v2), namespace, deploymentManifest(config, v1)]))).toEqual([
            "Namespace//zz-last", "Deployment/gray-demo/helloworld-v1", "Deployment/gray-demo/helloworld-v2",
        ]);
    });
});
