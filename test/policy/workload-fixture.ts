// Paths into the v1 Deployment of the dev fixture, and the expectations shared by the four workload policy tests.
import { describe, expect, it } from "vitest";
import type { ResourceRule } from "../../policy/lib/rule.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { C2, devStack, find, findings, messages, set, type Manifest, type Stack } from "./fixtures.ts";

export const pod = ["spec", "template", "spec"] as const;
export const container = [...pod, "containers", 0] as const;
export const WHO = "Deployment gray-demo/helloworld-v1 in cluster mdemo-cluster2";

export const v1 = (stack: Stack): Manifest => find(stack, C2, "Deployment", "helloworld-v1");

/**
 * Declares what every workload rule must do: pass the dev release as an advisory rule, skip a pod template that is
 * unknown during preview, and report at the level the pack's config sets. `breakIt` makes the v1 Deployment violate it.
 */
export function describeWorkloadRule(rule: ResourceRule, breakIt: (workload: Manifest) => void): void {
    describe(`${rule.name}: shared expectations`, () => {
        it("passes the dev release and is advisory", () => {
            expect(messages(rule, devStack())).toEqual([]);
            expect(rule.enforcementLevel).toBe("advisory");
        });

        it("does not judge a pod template that is unknown during preview", () => {
            const stack = devStack();
            set(v1(stack), ["spec", "template"], UNKNOWN);
            expect(messages(rule, stack)).toEqual([]);
        });

        it("becomes mandatory through the pack's config", () => {
            const stack = devStack();
            breakIt(v1(stack));
            expect(findings(rule, stack, { [rule.name]: { enforcementLevel: "mandatory" } }).map((f) => f.level)).toEqual(["mandatory"]);
        });
    });
}
