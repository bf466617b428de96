// `npm run render`: what the stack would apply, per cluster, as YAML. No Pulumi CLI, no cluster and
// no credentials: it validates the stack file with the program's own config code and writes the
// program's own plan (manifests/plan.ts), the very objects the component registers on `pulumi up`.
import { basename } from "node:path";
import { ConfigError } from "../config/index.ts";
import { planRelease } from "../manifests/plan.ts";
import { ToolError, UsageError } from "./command/errors.ts";
import { EXIT, exitStatusHelp } from "./command/exit-codes.ts";
import { defineCommand, runMain } from "./command/run-command.ts";
import { clusterFileName, clusterYaml, memoisedDocumentRenderer } from "./render/cluster-yaml.ts";
import { OutputDirectoryError, writeRenderedDirectory } from "./render/write-directory.ts";
import { loadReleaseConfig, StackFileError, stackFilePath } from "./stack-file.ts";

const USAGE = "Usage: npm run render -- [--stack <name> | --config-file <path>] [--out <dir>]";

const HELP = `  --stack <name>        read Pulumi.<name>.yaml (default: dev)
  --config-file <path>  read any file in the stack-settings format
  --out <dir>           where to write <cluster>.yaml files (default: rendered); render replaces
                        or removes only files it wrote there, and refuses to overwrite others
  -h, --help            show this help

${exitStatusHelp({ ok: "written", toolError: "tool error (an unreadable stack file, invalid stack config, an unusable --out)" })}`;

const renderCommand = defineCommand({
    name: "render",
    usage: USAGE,
    help: HELP,
    flags: {
        stack: { type: "string" },
        "config-file": { type: "string" },
        out: { type: "string", default: "rendered" },
    },
    options({ values }) {
        if (values.stack !== undefined && values["config-file"] !== undefined) {
            throw new UsageError("give one of --stack or --config-file, not both");
        }
        return { source: { stack: values.stack, configFile: values["config-file"] }, out: values.out };
    },
    run({ source, out }, io) {
        try {
            const config = loadReleaseConfig({ ...source, projectDir: io.cwd });
            const render = memoisedDocumentRenderer();
            const sourceName = basename(stackFilePath(source));
            const plans = planRelease(config);
            const files = new Map(plans.map((plan) => [clusterFileName(plan.cluster.name), clusterYaml(plan, sourceName, render)]));
            const removed = writeRenderedDirectory(out, files);
            for (const plan of plans) {
                io.stdout.write(`wrote ${out}/${clusterFileName(plan.cluster.name)} (${plan.manifests.length} objects)\n`);
            }
            for (const name of removed) {
                io.stdout.write(`removed ${out}/${name} (its cluster is no longer in the stack)\n`);
            }
            return EXIT.ok;
        } catch (err) {
            if (err instanceof ConfigError) {
                // The program's own message, every problem on its line, as \`pulumi up\` shows it.
                io.stderr.write(`${err.message}\n`);
                return EXIT.toolError;
            }
            if (err instanceof StackFileError || err instanceof OutputDirectoryError) {
                throw new ToolError(err.message);
            }
            throw err;
        }
    },
});

await runMain(renderCommand);
