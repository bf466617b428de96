// The pack as a whole: exactly these policies, at these levels, and the compliant release passes all.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { effectiveLevel, evaluate } from "../../policy/lib/rule.ts";
import { PACK_NAME, policies } from "../../policy/policies.ts";
import { rules } from "../../policy/rules.ts";
import { readPolicySettings } from "../../tools/analyze/settings.ts";
import { C1, devStack, find, ISTIO_API_VERSIONS, set, toObjects } from "./fixtures.ts";

describe("the helloworld-grayscale policy pack", () => {
    it("holds exactly these policies, in this order, at these default levels", () => {
        expect(PACK_NAME).toBe("helloworld-grayscale");
        expect(policies.map((p) => [p.name, p.enforcementLevel, "validateStack" in p ? "stack" : "resource"])).toEqual([
            ["istio-destinationrule-requires-istio-mutual", "mandatory", "resource"],
            ["istio-virtualservice-weights-must-sum-to-100", "mandatory", "resource"],
            ["istio-virtualservice-references-must-resolve", "mandatory", "stack"],
            ["istio-destinationrule-subsets-must-select-pods", "mandatory", "stack"],
            ["kubernetes-service-must-match-across-clusters", "mandatory", "stack"],
            ["istio-virtualservice-routes-must-match-across-clusters", "mandatory", "stack"],
            ["istio-namespace-requires-sidecar-injection", "mandatory", "stack"],
            // Mesh-only: whether a Service's or workload's namespace is in the mesh needs the whole stack.
            ["istio-service-ports-must-declare-protocol", "mandatory", "stack"],
            ["istio-config-must-pass-istio-validation", "mandatory", "resource"],
            ["istio-peerauthentication-must-be-strict", "advisory", "stack"],
            ["istio-destinationrule-unrouted-subsets-should-select-pods", "advisory", "stack"],
            ["istio-workload-requires-app-and-version-labels", "advisory", "stack"],
            ["kubernetes-workload-requires-pinned-images", "advisory", "resource"],
            ["kubernetes-workload-requires-resource-requests-and-limits", "advisory", "resource"],
            ["kubernetes-workload-must-run-as-non-root", "advisory", "resource"],
        ]);
        expect(rules.map((r) => r.name)).toEqual(policies.map((p) => p.name));
    });

    it.each(rules.map((r) => [r.name, r] as const))("%s has a kebab-case name and a whole-sentence description that says must", (name, rule) => {
        expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
        expect(rule.description).toMatch(/^[A-Z].* must .*\.$/);
    });

    it("leaves enforcementLevel out of every config schema (Pulumi reserves it)", () => {
        const keys = rules.flatMap((r) => Object.keys(r.configSchema?.properties ?? {}));
        expect(keys).toEqual(["exemptHosts", "externalHosts", "externalGateways", "rootNamespace", "requiredRequests", "requiredLimits"]);
    });

    it("ships policy-config.strict.json, which makes every policy mandatory", () => {
        const file = fileURLToPath(new URL("../../policy/policy-config.strict.json", import.meta.url));
        const settings = readPolicySettings(file, rules);
        expect(new Set(rules.map((r) => effectiveLevel(r, settings[r.name])))).toEqual(new Set(["mandatory"]));
    });

    it.each(ISTIO_API_VERSIONS)("finds nothing in the compliant dev release with %s", (apiVersion) => {
        expect(evaluate(rules, toObjects(devStack(apiVersion)))).toEqual([]);
    });

    it("can disable a policy through its settings", () => {
        const stack = devStack();
        set(find(stack, C1, "Service", "helloworld"), ["spec", "ports", 0, "name"], "web");
        const names = (settings = {}) => evaluate(rules, toObjects(stack), settings).map((f) => f.policy);
        expect(names()).toContain("istio-service-ports-must-declare-protocol");
        expect(names({ "istio-service-ports-must-declare-protocol": { enforcementLevel: "disabled" } }))
            .not.toContain("istio-service-ports-must-declare-protocol");
    });
});
