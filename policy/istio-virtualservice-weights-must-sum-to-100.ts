import { describe, is, ISTIO_NETWORKING, type K8sObject } from "./lib/model.ts";
import { inCluster, type ResourceRule } from "./lib/rule.ts";
import { routeLabel, ROUTE_SECTIONS } from "./lib/routes.ts";
import { asArray, at, containsUnknown, isUnknown } from "./lib/values.ts";

function checkRouteList(object: K8sObject, list: string, routes: readonly unknown[]): string | undefined {
    const who = `${describe(object)} ${inCluster(object)} route ${routeLabel(object, list)}`;
    const weights = routes.map((r) => at(r, "weight"));
    if (routes.length === 1) {
        const only = weights[0];
        return only === undefined || only === 100
            ? undefined
            : `${who} has a single destination with weight ${JSON.stringify(only)}; a single destination must have weight 100 or none.`;
    }
    const problems: string[] = [];
    weights.forEach((w, i) => {
        if (w === undefined) {
            problems.push(`destination ${i} has no weight`);
        } else if (typeof w !== "number" || !Number.isInteger(w) || w < 0) {
            problems.push(`destination ${i} has weight ${JSON.stringify(w)}, which is not a whole number from 0 to 100`);
        }
    });
    if (problems.length > 0) {
        return `${who}: ${problems.join("; ")}; every destination of a split must have an integer weight, and the weights must add up to 100.`;
    }
    const numbers = weights as number[];
    const total = numbers.reduce((sum, w) => sum + w, 0);
    if (total !== 100) {
        return `${who} has weights ${numbers.join(" + ")} = ${total}; they must add up to 100 so that the split a reviewer ` +
            "reads is the split Istio applies (Istio would silently treat them as relative proportions).";
    }
    return undefined;
}

export const istioVirtualServiceWeightsMustSumTo100: ResourceRule = {
    scope: "resource",
    name: "istio-virtualservice-weights-must-sum-to-100",
    description: "Every VirtualService route that splits traffic must give each destination an integer weight, and " +
        "the weights must add up to 100, so that a grayscale split reads as percentages.",
    enforcementLevel: "mandatory",
    appliesTo: (object) => is(object, ISTIO_NETWORKING, "VirtualService"),
    check(object): string[] {
        const messages: string[] = [];
        for (const section of ROUTE_SECTIONS) {
            (asArray(at(object.body, "spec", section)) ?? []).forEach((rule, i) => {
                const routes = at(rule, "route");
                // Redirects, direct responses and delegations have no route list; unknown weights wait for the update.
                if (isUnknown(routes) || containsUnknown(asArray(routes)?.map((r) => at(r, "weight")))) {
                    return;
                }
                const list = asArray(routes);
                if (list !== undefined && list.length > 0) {
                    const message = checkRouteList(object, `${section}[${i}]`, list);
                    if (message !== undefined) {
                        messages.push(message);
                    }
                }
            });
        }
        return messages;
    },
};
