// Every Istio object the release renders, validated against Istio's published CRD schemas (as
// packaged by @kubernetes-models/istio), for every API version the config allows. The API server
// prunes unknown fields silently instead of rejecting them, so a misspelt field would vanish on
// apply: the second check proves that every field we set is one the schema knows.
import * as networkingV1 from "@kubernetes-models/istio/networking.istio.io/v1";
import * as networkingV1alpha3 from "@kubernetes-models/istio/networking.istio.io/v1alpha3";
import * as networkingV1beta1 from "@kubernetes-models/istio/networking.istio.io/v1beta1";
import * as securityV1 from "@kubernetes-models/istio/security.istio.io/v1";
import * as securityV1beta1 from "@kubernetes-models/istio/security.istio.io/v1beta1";
import { describe, expect, it } from "vitest";
import { parseReleaseConfig } from "../../config/index.ts";
import { ISTIO_API_VERSIONS, type IstioApiVersion } from "../../mesh/api-versions.ts";
import { planRelease } from "../../manifests/plan.ts";
import type { IstioManifest, Manifest } from "../../manifests/types.ts";
import { devStackConfig } from "../support/dev-stack.ts";

type Model = new (data: object) => { validate(): void };

const MODELS: Record<string, Record<string, Model>> = {
    "networking.istio.io/v1": networkingV1 as unknown as Record<string, Model>,
    "networking.istio.io/v1beta1": networkingV1beta1 as unknown as Record<string, Model>,
    "networking.istio.io/v1alpha3": networkingV1alpha3 as unknown as Record<string, Model>,
    "security.istio.io/v1": securityV1,
    "security.istio.io/v1beta1": securityV1beta1,
};

function modelOf(manifest: Manifest): Model {
    const model = MODELS[manifest.apiVersion]?.[manifest.kind];
    if (model === undefined) {
        throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
    }
    return model;
}

function validate(manifest: Manifest): void {
    const Model = modelOf(manifest);
    new Model(manifest).validate();
}

/** Every path to a value under `spec`, e.g. ["spec", "subsets", 0, "trafficPolicy", "tls", "mode"]. */
function fieldPaths(value: unknown, path: (string | number)[]): (string | number)[][] {
    if (Array.isArray(value)) {
        return value.flatMap((item, i) => fieldPaths(item, [...path, i]));
    }
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([key, child]) => [[...path, key], ...fieldPaths(child, [...path, key])]);
    }
    return [];
}

/**
 * Whether the schema constrains the field at `path`: a value no schema type admits (a symbol) is put
 * there; a known field fails validation, a field the schema does not know is let through.
 */
function schemaKnows(manifest: Manifest, path: (string | number)[]): boolean {
    const probe = structuredClone(manifest) as unknown as Record<string | number, unknown>;
    const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>(
        (node, key) => node[key] as Record<string | number, unknown>, probe);
    parent[path[path.length - 1] as string | number] = Symbol("probe");
    try {
        validate(probe as unknown as Manifest);
        return false;
    } catch {
        return true;
    }
}

function istioManifests(apiVersion: IstioApiVersion, change: (raw: Record<string, any>) => void = () => {}): IstioManifest[] {
    const raw = devStackConfig();
    raw.istioApiVersion = apiVersion;
    change(raw);
    const plans = planRelease(parseReleaseConfig(raw));
    return (plans[0]?.manifests ?? []).filter((m): m is IstioManifest => m.apiVersion.includes(".istio.io/"));
}

const apiVersions = Object.keys(ISTIO_API_VERSIONS) as IstioApiVersion[];

describe.each(apiVersions)("Istio objects at %s", (apiVersion) => {
    const manifests = istioManifests(apiVersion);

    it("are the four kinds of the release (a VirtualService for the gateway and one for the mesh)", () => {
        expect(manifests.map((m) => m.kind).sort()).toEqual(["DestinationRule", "Gateway", "PeerAuthentication", "VirtualService", "VirtualService"]);
    });

    it.each(manifests.map((m) => [m.kind, m] as const))("%s validates against Istio's schema", (_kind, manifest) => {
        expect(() => validate(manifest)).not.toThrow();
    });

    it.each(manifests.map((m) => [m.kind, m] as const))("%s sets no field the schema does not know", (_kind, manifest) => {
        const unknown = fieldPaths(manifest.spec, ["spec"]).filter((path) => !schemaKnows(manifest, path));
        expect(unknown.map((p) => p.join("."))).toEqual([]);
    });
});

describe("the schema checks can fail", () => {
    const [dr] = istioManifests("networking.istio.io/v1").filter((m) => m.kind === "DestinationRule");
    if (dr === undefined) {
        throw new Error("no DestinationRule rendered");
    }

    it("rejects a TLS mode Istio does not have", () => {
        const broken = structuredClone(dr);
        (broken.spec.trafficPolicy as { tls: { mode: string } }).tls.mode = "MUTUAL_ISTIO";
        expect(() => validate(broken)).toThrow(/allowed values/);
    });

    it("finds a misspelt field that validation alone lets through", () => {
        // Typed specs refuse the misspelling at compile time; the schema check must catch it in a plain object too.
        const misspelt = structuredClone(dr) as unknown as { spec: Record<string, unknown> } & Manifest;
        misspelt.spec.trafficpolicy = { tls: { mode: "ISTIO_MUTUAL" } };
        expect(() => validate(misspelt)).not.toThrow();
        expect(schemaKnows(misspelt, ["spec", "trafficpolicy"])).toBe(false);
        expect(schemaKnows(misspelt, ["spec", "trafficPolicy"])).toBe(true);
    });

    it("rejects a weight that is not an integer", () => {
        const vs = istioManifests("networking.istio.io/v1").find((m) => m.kind === "VirtualService");
        expect(vs).toBeDefined();
        const broken = structuredClone(vs as IstioManifest) as unknown as { spec: Record<string, unknown> } & Manifest;
        (broken.spec.http as { route: { weight: unknown }[] }[])[0]!.route[0]!.weight = "80";
        expect(() => validate(broken)).toThrow(/must be integer/);
    });
});

describe("PeerAuthentication modes", () => {
    it.each(["STRICT", "PERMISSIVE"])("%s validates", (mode) => {
        const [pa] = istioManifests("networking.istio.io/v1", (r) => { r.peerAuthentication = mode; })
            .filter((m) => m.kind === "PeerAuthentication");
        expect(pa).toBeDefined();
        expect(() => validate(pa as IstioManifest)).not.toThrow();
    });
});
