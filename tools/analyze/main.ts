// `npm run analyze -- <paths>`: the pack's rules over plain manifests, without the Pulumi engine.
import { parseArgs } from "node:util";
import { evaluate, effectiveLevel, type Finding, type PolicySettings } from "../../policy/lib/rule.ts";
import type { K8sObject } from "../../policy/lib/model.ts";
import { rules } from "../../policy/rules.ts";
import { ONE_CLUSTER, type ClusterAssignment } from "./clusters.ts";
import { InputError } from "./input-error.ts";
import { loadObjects } from "./load.ts";
import { formatFinding, formatSummary, sortFindings } from "./report.ts";
import { readPolicySettings } from "./settings.ts";

export const USAGE = `Usage: npm run analyze -- [options] <file or directory>...
By default each file of a folder \`npm run render\` wrote is its own cluster (<cluster>.yaml), and all
other files together are one cluster, "${ONE_CLUSTER}".
  --cluster-from-filename  each file <cluster>.yaml holds that cluster's objects
  --cluster <name>         treat every object as applied to one cluster, <name>
  --policy-config <file>   enforcement levels and settings, as for pulumi --policy-pack-config
  -h, --help               show this help
Exit status: 0 clean or advisory findings only, 1 a mandatory policy is violated, 2 bad input,
64 usage error.`;

export const EXIT_OK = 0;
export const EXIT_MANDATORY = 1;
export const EXIT_BAD_INPUT = 2;
/** Wrong options or arguments: EX_USAGE from sysexits.h, as render and verify use. */
export const EXIT_USAGE = 64;

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

interface Output {
    out: (line: string) => void;
    err: (line: string) => void;
}

export function main(argv: readonly string[], io: Output): number {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            allowPositionals: true,
            strict: true,
            options: {
                "cluster-from-filename": { type: "boolean" },
                cluster: { type: "string" },
                "policy-config": { type: "string" },
                help: { type: "boolean", short: "h" },
            },
        });
    } catch (err) {
        io.err(`analyze: ${(err as Error).message}\n${USAGE}`);
        return EXIT_USAGE;
    }
    const { values, positionals } = parsed;
    if (values.help) {
        io.out(USAGE);
        return EXIT_OK;
    }
    if (positionals.length === 0) {
        io.err(`analyze: name at least one file or directory of YAML manifests\n${USAGE}`);
        return EXIT_USAGE;
    }
    if (values.cluster !== undefined && values["cluster-from-filename"]) {
        io.err("analyze: --cluster and --cluster-from-filename exclude each other; pass one");
        return EXIT_USAGE;
    }
    const assignment: ClusterAssignment = values.cluster !== undefined ? { cluster: values.cluster }
        : values["cluster-from-filename"] === true ? { fromFilename: true }
        : { fromRenderMarker: true };
    try {
        const settings = values["policy-config"] === undefined ? {} : readPolicySettings(values["policy-config"], rules);
        const result = analyzePaths(positionals, assignment, settings);
        for (const finding of result.findings) {
            io.out(formatFinding(finding));
        }
        io.out(formatSummary({
            objects: result.objects.length,
            clusters: new Set(result.objects.map((o) => o.cluster.key)).size,
            policies: result.enabledPolicies,
            findings: result.findings,
        }));
        return result.findings.some((f) => f.level === "mandatory") ? EXIT_MANDATORY : EXIT_OK;
    } catch (err) {
        if (err instanceof InputError) {
            io.err(`analyze: ${err.message}`);
            return EXIT_BAD_INPUT;
        }
        throw err;
    }
}
