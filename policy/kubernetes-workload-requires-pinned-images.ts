import { isPinnedImage } from "../mesh/image-reference.ts";
import { describe } from "./lib/model.ts";
import { inCluster, type ResourceRule } from "./lib/rule.ts";
import { at, isUnknown } from "./lib/values.ts";
import { isWorkload, knownPodSpec } from "./lib/workloads.ts";

export const kubernetesWorkloadRequiresPinnedImages: ResourceRule = {
    scope: "resource",
    name: "kubernetes-workload-requires-pinned-images",
    description: "Every container image must be pinned to a tag other than latest, or to a digest, so that a " +
        "canary compares the versions the release names.",
    enforcementLevel: "advisory",
    appliesTo: isWorkload,
    check(object): string[] {
        const list = knownPodSpec(object)?.containers;
        if (list === undefined) {
            return [];
        }
        const messages: string[] = [];
        for (const c of list) {
            const image = at(c.body, "image");
            if (isUnknown(image) || (typeof image === "string" && isPinnedImage(image))) {
                continue;
            }
            const what = typeof image === "string" ? `image '${image}', which is not pinned` : "no image";
            messages.push(`${describe(object)} ${inCluster(object)} container '${c.name}' (${c.path}) has ${what}; ` +
                "it must name an explicit tag other than latest, or a digest.");
        }
        return messages;
    },
};
