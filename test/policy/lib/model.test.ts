import { describe, expect, it } from "vitest";
import { makeObject, objectFromManifest, parseTypeToken } from "../../../policy/lib/model.ts";
import { UNKNOWN } from "../../../policy/lib/values.ts";

const cluster = { key: "c1", name: "c1" };

describe("parseTypeToken", () => {
    it.each([
        ["kubernetes:core/v1:Service", { group: "", version: "v1", kind: "Service" }],
        ["kubernetes:apps/v1:Deployment", { group: "apps", version: "v1", kind: "Deployment" }],
        ["kubernetes:networking.istio.io/v1beta1:DestinationRule", { group: "networking.istio.io", version: "v1beta1", kind: "DestinationRule" }],
        ["kubernetes:security.istio.io/v1:PeerAuthentication", { group: "security.istio.io", version: "v1", kind: "PeerAuthentication" }],
        ["kubernetes:core/v1:NamespacePatch", undefined],
        ["kubernetes:core/v1:ServiceList", undefined],
        ["kubernetes:yaml/v2:ConfigGroup", undefined],
        ["kubernetes:helm.sh/v3:Release", undefined],
        ["pulumi:providers:kubernetes", undefined],
        ["aws:s3/bucket:Bucket", undefined],
    ])("reads %s as %j", (token, expected) => {
        expect(parseTypeToken(token)).toEqual(expected);
    });
});

describe("makeObject", () => {
    const make = (body: Record<string, unknown>, kind = "Service", defaultNamespace?: string) =>
        makeObject({ cluster, group: "", version: "v1", kind, body, ...(defaultNamespace === undefined ? {} : { defaultNamespace }) });

    it.each([
        ["an explicit namespace", { metadata: { name: "a", namespace: "ns" } }, undefined, "ns"],
        ["the provider's default namespace", { metadata: { name: "a" } }, "team", "team"],
        ["Kubernetes' default namespace", { metadata: { name: "a" } }, undefined, "default"],
        ["an unknown namespace", { metadata: { name: "a", namespace: UNKNOWN } }, undefined, UNKNOWN],
        ["unknown metadata", { metadata: UNKNOWN }, undefined, UNKNOWN],
    ])("takes %s", (_what, body, defaultNamespace, expected) => {
        expect(make(body, "Service", defaultNamespace).namespace).toBe(expected);
    });

    it("leaves cluster-scoped kinds without a namespace", () => {
        expect(make({ metadata: { name: "gray-demo", namespace: "ignored" } }, "Namespace").namespace).toBeUndefined();
    });
});

describe("objectFromManifest", () => {
    it.each([
        [null, "is not a mapping"],
        [["a"], "is not a mapping"],
        [{ kind: "Service" }, "has no apiVersion or kind"],
        [{ apiVersion: "v1" }, "has no apiVersion or kind"],
    ])("rejects %j: %s", (manifest, reason) => {
        expect(objectFromManifest(manifest, cluster, "f")).toEqual(expect.stringContaining(reason));
    });

    it("splits apiVersion into group and version", () => {
        const object = objectFromManifest({ apiVersion: "networking.istio.io/v1alpha3", kind: "VirtualService", metadata: { name: "vs" } }, cluster, "f");
        expect(typeof object === "string" ? object : [object.group, object.version, object.kind, object.namespace])
            .toEqual(["networking.istio.io", "v1alpha3", "VirtualService", "default"]);
    });
});
