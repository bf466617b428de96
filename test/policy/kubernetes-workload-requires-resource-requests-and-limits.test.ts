import { describe, expect, it } from "vitest";
import { kubernetesWorkloadRequiresResourceRequestsAndLimits as resourcesRule } from "../../policy/kubernetes-workload-requires-resource-requests-and-limits.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { C2, devStack, find, findings, messages, set, type Stack } from "./fixtures.ts";
import { container, WHO } from "./workload-fixture.ts";

const v1 = (stack: Stack) => find(stack, C2, "Deployment", "helloworld-v1");

describe("kubernetes-workload-requires-resource-requests-and-limits: shared expectations", () => {
    const rule = resourcesRule;
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
        set(v1(stack), [...container, "resources"], undefined);
        expect(findings(rule, stack, { [rule.name]: { enforcementLevel: "mandatory" } }).map((f) => f.level)).toEqual(["mandatory"]);
    });
});

describe("kubernetes-workload-requires-resource-requests-and-limits", () => {
    it("fails a container without a CPU limit, and accepts it when config requires only memory limits", () => {
        const stack = devStack();
        set(v1(stack), [...container, "resources", "limits", "cpu"], undefined);
        expect(messages(resourcesRule, stack)).toEqual([
            `${WHO} container 'helloworld' (containers[0]) sets no resources.limits.cpu; every container must set ` +
            "resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory.",
        ]);
        expect(messages(resourcesRule, stack, { [resourcesRule.name]: { requiredLimits: ["memory"] } })).toEqual([]);
    });

    it("fails a container without any resources", () => {
        const stack = devStack();
        set(v1(stack), [...container, "resources"], undefined);
        expect(messages(resourcesRule, stack)).toEqual([expect.stringContaining(
            "sets no resources.requests.cpu, requests.memory, limits.cpu and limits.memory;",
        )]);
    });

    it("does not judge resources that are unknown during preview", () => {
        const stack = devStack();
        set(v1(stack), [...container, "resources", "limits"], UNKNOWN);
        expect(messages(resourcesRule, stack)).toEqual([]);
    });
});

