import { describe, expect, it } from "vitest";
import { kubernetesWorkloadRequiresPinnedImages as imagesRule } from "../../policy/kubernetes-workload-requires-pinned-images.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { devStack, messages, set } from "./fixtures.ts";
import { container, describeWorkloadRule, v1, WHO } from "./workload-fixture.ts";

describeWorkloadRule(imagesRule, (workload) => set(workload, [...container, "image"], "helloworld"));

describe("kubernetes-workload-requires-pinned-images", () => {
    it.each([["helloworld:latest"], ["helloworld"]])("fails image %s", (image) => {
        const stack = devStack();
        set(v1(stack), [...container, "image"], image);
        expect(messages(imagesRule, stack)).toEqual([
            `${WHO} container 'helloworld' (containers[0]) has image '${image}', which is not pinned; it must name an explicit tag other than latest, or a digest.`,
        ]);
    });

    it("judges init containers and CronJobs too", () => {
        const stack = devStack();
        const cronJob = v1(stack);
        set(cronJob, ["kind"], "CronJob");
        set(cronJob, ["apiVersion"], "batch/v1");
        set(cronJob, ["spec"], { jobTemplate: { spec: { template: { spec: { initContainers: [{ name: "init", image: "busybox" }], containers: [] } } } } });
        expect(messages(imagesRule, stack)).toEqual([expect.stringContaining("container 'init' (initContainers[0]) has image 'busybox'")]);
    });

    it("does not judge an image that is unknown during preview", () => {
        const stack = devStack();
        set(v1(stack), [...container, "image"], UNKNOWN);
        expect(messages(imagesRule, stack)).toEqual([]);
    });
});

