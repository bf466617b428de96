import { describe } from "./lib/model.ts";
import { inCluster, type StackRule, type Violation } from "./lib/rule.ts";
import { emptySubsets } from "./lib/subsets.ts";
import { formatLabels } from "./lib/values.ts";

export const istioDestinationRuleUnroutedSubsetsShouldSelectPods: StackRule = {
    scope: "stack",
    name: "istio-destinationrule-unrouted-subsets-should-select-pods",
    description: "A DestinationRule subset that no route sends traffic to must still select the pods of some workload " +
        "before a route uses it; until then it is no 503 risk, only a subset to deploy or remove.",
    enforcementLevel: "advisory",
    check(stack): Violation[] {
        return emptySubsets(stack).filter((e) => e.routed === false).map((e) => ({
            subject: e.rule,
            message: `${describe(e.rule)} ${inCluster(e.rule)} defines subset "${e.subset}" (${formatLabels(e.labels)}), ` +
                `but no workload in any cluster runs pods labelled ${e.wanted} beside a Service ` +
                `${e.service.namespace}/${e.service.name}. No route sends traffic to it, so nothing fails today (no 503 ` +
                `risk); deploy its pods before a route uses it, or remove the subset.${e.hint}`,
        }));
    },
};
