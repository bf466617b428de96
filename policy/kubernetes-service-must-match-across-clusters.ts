import { describe, type K8sObject } from "./lib/model.ts";
import type { StackRule, Violation } from "./lib/rule.ts";
import { asArray, asString, at, containsUnknown, formatLabels, isUnknown, listWords, stringMap } from "./lib/values.ts";

/** What Istio merges across clusters, with the API server's defaults filled in so equal means equal. */
interface Shape {
    type: string;
    ports: string;
    selector: string;
}

function shapeOf(service: K8sObject): Shape | undefined {
    const spec = at(service.body, "spec");
    const fields = ["type", "clusterIP", "ports", "selector"].map((f) => at(spec, f));
    if (isUnknown(spec) || fields.some(containsUnknown)) {
        return undefined;
    }
    const headless = at(spec, "clusterIP") === "None";
    const ports = (asArray(at(spec, "ports")) ?? []).map((p) => {
        const name = asString(at(p, "name")) ?? "(unnamed)";
        const protocol = asString(at(p, "protocol")) ?? "TCP";
        const appProtocol = asString(at(p, "appProtocol"));
        return `${name} ${String(at(p, "port"))}/${protocol}${appProtocol === undefined ? "" : ` appProtocol=${appProtocol}`}`;
    }).sort();
    const selector = stringMap(at(spec, "selector"));
    return {
        type: `${asString(at(spec, "type")) ?? "ClusterIP"}${headless ? " (headless)" : ""}`,
        ports: ports.length === 0 ? "(none)" : ports.join(", "),
        selector: selector === undefined || isUnknown(selector)
            ? "(none)"
            : formatLabels(Object.fromEntries(Object.entries(selector).sort(([a], [b]) => a.localeCompare(b)))),
    };
}

const FIELDS: readonly { key: keyof Shape; label: string }[] = [
    { key: "type", label: "type" },
    { key: "ports", label: "ports" },
    { key: "selector", label: "selector" },
];

export const kubernetesServiceMustMatchAcrossClusters: StackRule = {
    scope: "stack",
    name: "kubernetes-service-must-match-across-clusters",
    description: "A Service of a mesh namespace with the same name and namespace in several clusters must have the same " +
        "type, ports, port names and selector everywhere (namespace sameness), because Istio merges them into one mesh host.",
    enforcementLevel: "mandatory",
    check(stack): Violation[] {
        const groups = new Map<string, { service: K8sObject; shape: Shape }[]>();
        for (const service of stack.ofKind("", "Service")) {
            // Outside the mesh (kube-dns, a chart beside the release) no sidecar sees the merged host.
            if (typeof service.name !== "string" || typeof service.namespace !== "string" || stack.inMesh(service.namespace) !== true) {
                continue;
            }
            const shape = shapeOf(service);
            if (shape === undefined) {
                continue;
            }
            const key = `${service.namespace}/${service.name}`;
            const group = groups.get(key);
            if (group === undefined) {
                groups.set(key, [{ service, shape }]);
            } else {
                group.push({ service, shape });
            }
        }
        const violations: Violation[] = [];
        for (const members of groups.values()) {
            if (new Set(members.map((m) => m.service.cluster.key)).size < 2) {
                continue;
            }
            members.sort((a, b) => a.service.cluster.name.localeCompare(b.service.cluster.name));
            // The shape most clusters agree on is the reference, so one odd cluster out is the one reported.
            const byShape = new Map<string, typeof members>();
            for (const m of members) {
                const key = JSON.stringify(m.shape);
                const same = byShape.get(key);
                if (same === undefined) {
                    byShape.set(key, [m]);
                } else {
                    same.push(m);
                }
            }
            if (byShape.size < 2) {
                continue;
            }
            const reference = [...byShape.values()].reduce((best, g) => (g.length > best.length ? g : best));
            const [model] = reference;
            if (model === undefined) {
                continue;
            }
            const others = reference.length - 1;
            const where = `cluster ${model.service.cluster.name}${others > 0 ? ` (and ${others} other cluster${others === 1 ? "" : "s"})` : ""}`;
            const agreeing = new Set(reference);
            for (const m of members) {
                if (agreeing.has(m)) {
                    continue;
                }
                const differences = FIELDS.filter((f) => m.shape[f.key] !== model.shape[f.key])
                    .map((f) => `${f.label} ${m.shape[f.key]} here but ${model.shape[f.key]} there`);
                violations.push({
                    subject: m.service,
                    message: `${describe(m.service)} in cluster ${m.service.cluster.name} differs from the same Service in ` +
                        `${where}: ${listWords(differences)}; a Service with the same name and namespace must have the same ` +
                        "type, ports, port names and selector in every cluster, because Istio merges them into one mesh host.",
                });
            }
        }
        return violations;
    },
};
