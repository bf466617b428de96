import { describe, expect, it } from "vitest";
import { kubernetesWorkloadRequiresResourceRequestsAndLimits as resourcesRule } from "../../policy/kubernetes-workload-requires-resource-requests-and-limits.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { devStack, messages, set } from "./fixtures.ts";
import { container, describeWorkloadRule, v1, WHO } from "./workload-fixture.ts";

describeWorkloadRule(resourcesRule, (workload) => set(workload, [...container, "resources"], undefined));

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

