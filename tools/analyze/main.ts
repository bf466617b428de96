// `npm run analyze -- <paths>`: the pack's rules over plain manifests, without the Pulumi engine.
import { evaluate, effectiveLevel, type Finding, type PolicySettings } from "../../policy/lib/rule.ts";
import type { K8sObject } from "../../policy/lib/model.ts";
import { rules } from "../../policy/rules.ts";
import { ONE_CLUSTER, type ClusterAssignment } from "./clusters.ts";
import { UsageError } from "../command/errors.ts";
import { EXIT, exitStatusHelp } from "../command/exit-codes.ts";
import { defineCommand } from "../command/run-command.ts";
import { loadObjects } from "./load.ts";
import { formatFinding, formatSummary, sortFindings } from "./report.ts";
import { readPolicySettings } from "./settings.ts";

const USAGE = "Usage: npm run analyze -- [options] <file or directory>...";

const HELP = `By default each file of a folder \`npm run render\` wrote is its own cluster (<cluster>.yaml), and all
other files together are one cluster, "${ONE_CLUSTER}".
  --cluster-from-filename  each file <cluster>.yaml holds that cluster's objects
  --cluster <name>         treat every object as applied to one cluster, <name>
  --policy-config <file>   enforcement levels and settings, as for pulumi --policy-pack-config
  -h, --help               show this help

${exitStatusHelp({ ok: "clean or advisory findings only", failed: "a mandatory policy is violated", toolError: "tool error (bad input: an unreadable file, invalid YAML, a bad policy config)" })}`;

export interface AnalysisResult {
    objects: readonly K8sObject[];
    findings: Finding[];
    enabledPolicies: number;
}

/** Loads manifests and runs every rule: the whole analysis, minus printing. Throws InputError. */
export function analyzePaths(
    paths: readonly string[],
    assignment: ClusterAssignment = { fromRenderMarker: true },
    settings: Readonly<Record<string, PolicySettings>> = {},
): AnalysisResult {
    const objects = loadObjects(paths, assignment);
    return {
        objects,
        findings: sortFindings(evaluate(rules, objects, settings)),
        enabledPolicies: rules.filter((r) => effectiveLevel(r, settings[r.name]) !== "disabled").length,
    };
}

export const analyzeCommand = defineCommand({
    name: "analyze",
    usage: USAGE,
    help: HELP,
    flags: {
        "cluster-from-filename": { type: "boolean" },
        cluster: { type: "string" },
        "policy-config": { type: "string" },
    },
    positionals: true,
    options({ values, positionals }) {
        if (positionals.length === 0) {
            throw new UsageError("name at least one file or directory of YAML manifests");
        }
        if (values.cluster !== undefined && values["cluster-from-filename"]) {
            throw new UsageError("--cluster and --cluster-from-filename exclude each other; pass one");
        }
        const assignment: ClusterAssignment = values.cluster !== undefined ? { cluster: values.cluster }
            : values["cluster-from-filename"] === true ? { fromFilename: true }
            : { fromRenderMarker: true };
        return { paths: positionals, assignment, policyConfig: values["policy-config"] };
    },
    run({ paths, assignment, policyConfig }, io) {
        const settings = policyConfig === undefined ? {} : readPolicySettings(policyConfig, rules);
        const result = analyzePaths(paths, assignment, settings);
        for (const finding of result.findings) {
            io.stdout.write(`${formatFinding(finding)}\n`);
        }
        io.stdout.write(`${formatSummary({
            objects: result.objects.length,
            clusters: new Set(result.objects.map((o) => o.cluster.key)).size,
            policies: result.enabledPolicies,
            findings: result.findings,
        })}\n`);
        return result.findings.some((f) => f.level === "mandatory") ? EXIT.failed : EXIT.ok;
    },
});
