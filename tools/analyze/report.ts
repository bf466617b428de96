// What `npm run analyze` prints: one line per finding, then a summary.
import { qualifiedName } from "../../policy/lib/model.ts";
import type { Finding } from "../../policy/lib/rule.ts";

/** `mandatory  <policy>  <cluster>  <Kind>/<namespace>/<name>  <message>` */
export function formatFinding(finding: Finding): string {
    const s = finding.subject;
    return [finding.level, finding.policy, s.cluster.name, `${s.kind}/${qualifiedName(s)}`, finding.message].join("  ");
}

/** Mandatory findings first, then by policy, cluster and object, so runs diff cleanly. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
    const key = (f: Finding) => [f.level === "mandatory" ? "0" : "1", f.policy, f.subject.cluster.name,
        f.subject.kind, qualifiedName(f.subject), f.message].join("\0");
    return [...findings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export interface Summary {
    objects: number;
    clusters: number;
    policies: number;
    findings: readonly Finding[];
}

export function formatSummary(summary: Summary): string {
    const mandatory = summary.findings.filter((f) => f.level === "mandatory").length;
    const advisory = summary.findings.length - mandatory;
    const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
    const verdict = mandatory > 0 ? "FAIL: a mandatory policy is violated" : "OK: no mandatory policy is violated";
    return `${plural(summary.objects, "object")} in ${plural(summary.clusters, "cluster")} checked against ` +
        `${plural(summary.policies, "policy", "policies")}: ${mandatory} mandatory, ${advisory} advisory. ${verdict}.`;
}
