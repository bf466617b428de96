import { describe } from "./lib/model.ts";
import { inCluster, type StackRule, type Violation } from "./lib/rule.ts";
import { emptySubsets } from "./lib/subsets.ts";
import { formatLabels } from "./lib/values.ts";

export const istioDestinationRuleSubsetsMustSelectPods: StackRule = {
    scope: "stack",
    name: "istio-destinationrule-subsets-must-select-pods",
    description: "Every DestinationRule subset that a route sends traffic to must select the pods of some workload in " +
        "the stack, in any cluster that also runs the host's Service, so that the traffic has somewhere to go.",
    enforcementLevel: "mandatory",
    check(stack): Violation[] {
        return emptySubsets(stack).filter((e) => e.routed === true).map((e) => ({
            subject: e.rule,
            message: `${describe(e.rule)} ${inCluster(e.rule)} defines subset "${e.subset}" (${formatLabels(e.labels)}), ` +
                `which a route sends traffic to, but no workload in any cluster runs pods labelled ${e.wanted} beside a ` +
                `Service ${e.service.namespace}/${e.service.name}; every routed subset must select the pods of a workload ` +
                `in the stack, or traffic routed to it fails with 503 (no healthy upstream).${e.hint}`,
        }));
    },
};
