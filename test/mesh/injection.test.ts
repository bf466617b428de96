import { describe, expect, it } from "vitest";
import { namespaceInjection, namespaceInjectionLabels, type NamespaceInjection } from "../../mesh/injection.ts";

describe.each<[string | null, Record<string, string>]>([
    [null, { "istio-injection": "enabled" }],
    ["canary", { "istio.io/rev": "canary" }],
])("namespaceInjectionLabels(%j)", (revision, labels) => {
    it("sets exactly one injection label", () => expect(namespaceInjectionLabels(revision)).toEqual(labels));
});

// istio-injection wins over istio.io/rev: the revision webhooks select only namespaces without it.
describe.each<[Record<string, string>, NamespaceInjection]>([
    [{ "istio-injection": "enabled" }, { injected: true, revision: null }],
    [{ "istio.io/rev": "canary" }, { injected: true, revision: "canary" }],
    [{ "istio-injection": "enabled", "istio.io/rev": "canary" }, { injected: true, revision: null }],
    [{ "istio-injection": "disabled", "istio.io/rev": "canary" }, { injected: false }],
    [{ "istio-injection": "true" }, { injected: false }],
    [{ "istio.io/rev": "" }, { injected: false }],
    [{}, { injected: false }],
])("namespaceInjection(%j)", (labels, injection) => {
    it(`is ${JSON.stringify(injection)}`, () => expect(namespaceInjection(labels)).toEqual(injection));
});
