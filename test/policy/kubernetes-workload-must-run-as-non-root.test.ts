import { describe, expect, it } from "vitest";
import { kubernetesWorkloadMustRunAsNonRoot as nonRootRule } from "../../policy/kubernetes-workload-must-run-as-non-root.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { devStack, messages, set } from "./fixtures.ts";
import { container, describeWorkloadRule, pod, v1, WHO } from "./workload-fixture.ts";

describeWorkloadRule(nonRootRule, (workload) => set(workload, [...container, "securityContext"], undefined));

describe("kubernetes-workload-must-run-as-non-root", () => {
    it("fails a container with no non-root setting", () => {
        const stack = devStack();
        set(v1(stack), [...container, "securityContext"], undefined);
        expect(messages(nonRootRule, stack)).toEqual([
            `${WHO} container 'helloworld' (containers[0]) may run as root; it must set securityContext.runAsNonRoot: true ` +
            "(or a non-zero runAsUser) on the container or the pod.",
        ]);
    });

    it("fails runAsUser 0 even with runAsNonRoot", () => {
        const stack = devStack();
        set(v1(stack), [...container, "securityContext", "runAsUser"], 0);
        expect(messages(nonRootRule, stack)).toEqual([expect.stringContaining("sets runAsUser 0; it must run as a non-root user.")]);
    });

    it.each([
        ["runAsNonRoot on the pod", { runAsNonRoot: true }],
        ["a non-zero runAsUser on the pod", { runAsUser: 1000 }],
    ])("accepts %s", (_what, podContext) => {
        const stack = devStack();
        set(v1(stack), [...container, "securityContext"], undefined);
        set(v1(stack), [...pod, "securityContext"], podContext);
        expect(messages(nonRootRule, stack)).toEqual([]);
    });

    it("lets the container override the pod", () => {
        const stack = devStack();
        set(v1(stack), [...pod, "securityContext"], { runAsNonRoot: true });
        set(v1(stack), [...container, "securityContext"], { runAsNonRoot: false });
        expect(messages(nonRootRule, stack)).toEqual([expect.stringContaining("may run as root")]);
    });

    it("does not judge a security context that is unknown during preview", () => {
        const stack = devStack();
        set(v1(stack), [...container, "securityContext"], { runAsNonRoot: UNKNOWN });
        expect(messages(nonRootRule, stack)).toEqual([]);
    });
});
