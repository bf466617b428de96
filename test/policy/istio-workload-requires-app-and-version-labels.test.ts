import { describe, expect, it } from "vitest";
import { istioWorkloadRequiresAppAndVersionLabels as labelsRule } from "../../policy/istio-workload-requires-app-and-version-labels.ts";
import { devStack, messages, set } from "./fixtures.ts";
import { describeWorkloadRule, v1, WHO } from "./workload-fixture.ts";

describeWorkloadRule(labelsRule, (workload) => set(workload, ["spec", "template", "metadata", "labels"], {}));

describe("istio-workload-requires-app-and-version-labels", () => {
    it.each([
        ["version", { app: "helloworld" }, "runs pods without the 'version' label"],
        ["app and version", {}, "runs pods without the 'app' and 'version' labels"],
    ])("fails pods without %s", (_what, labels, expected) => {
        const stack = devStack();
        set(v1(stack), ["spec", "template", "metadata", "labels"], labels);
        expect(messages(labelsRule, stack)).toEqual([
            `${WHO} ${expected}; its pod template must carry app and version labels so that Istio can attribute and split its traffic.`,
        ]);
    });

    it("accepts the Kubernetes recommended labels Istio also reads", () => {
        const stack = devStack();
        set(v1(stack), ["spec", "template", "metadata", "labels"], { "app.kubernetes.io/name": "helloworld", "app.kubernetes.io/version": "v1" });
        expect(messages(labelsRule, stack)).toEqual([]);
    });

    it("does not ask batch workloads for version labels", () => {
        const stack = devStack();
        const job = v1(stack);
        set(job, ["spec", "template", "metadata", "labels"], {});
        expect(messages(labelsRule, stack)).toHaveLength(1);
        set(job, ["kind"], "Job");
        set(job, ["apiVersion"], "batch/v1");
        expect(messages(labelsRule, stack)).toEqual([]);
    });
});

