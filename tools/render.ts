// `npm run render`: what the stack would apply, per cluster, as YAML. No Pulumi CLI, no cluster and
// no credentials: it validates the stack file with the program's own config code and writes the
// program's own plan (manifests/plan.ts), the very objects the component registers on `pulumi up`.
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../config/index.ts";
import { planRelease } from "../manifests/plan.ts";
import { clusterFileName, clusterYaml, memoisedDocumentRenderer } from "./render/cluster-yaml.ts";
import { OutputDirectoryError, writeRenderedDirectory } from "./render/write-directory.ts";
import { loadReleaseConfig, StackFileError, stackFilePath } from "./stack-file.ts";

const USAGE = `Usage: npm run render -- [--stack <name> | --config-file <path>] [--out <dir>]
  --stack <name>        read Pulumi.<name>.yaml (default: dev)
  --config-file <path>  read any file in the stack-settings format
  --out <dir>           where to write <cluster>.yaml files (default: rendered); render replaces
                        or removes only files it wrote there, and refuses to overwrite others
  -h, --help            show this help
Exit status: 0 written, 1 invalid stack config, 2 unreadable stack file or unusable --out,
64 usage error.`;

const EXIT_INVALID_CONFIG = 1;
const EXIT_BAD_FILES = 2;
const EXIT_USAGE = 64;

function main(argv: string[]): number {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: {
                stack: { type: "string" },
                "config-file": { type: "string" },
                out: { type: "string", default: "rendered" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
        }));
    } catch (err) {
        console.error(`render: ${(err as Error).message}\n${USAGE}`);
        return EXIT_USAGE;
    }
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (values.stack !== undefined && values["config-file"] !== undefined) {
        console.error(`render: give one of --stack or --config-file, not both\n${USAGE}`);
        return EXIT_USAGE;
    }
    const source = { stack: values.stack, configFile: values["config-file"] };
    try {
        const config = loadReleaseConfig(source);
        const render = memoisedDocumentRenderer();
        const sourceName = basename(stackFilePath(source));
        const plans = planRelease(config);
        const files = new Map(plans.map((plan) => [clusterFileName(plan.cluster.name), clusterYaml(plan, sourceName, render)]));
        const removed = writeRenderedDirectory(values.out, files);
        for (const plan of plans) {
            console.log(`wrote ${values.out}/${clusterFileName(plan.cluster.name)} (${plan.manifests.length} objects)`);
        }
        for (const name of removed) {
            console.log(`removed ${values.out}/${name} (its cluster is no longer in the stack)`);
        }
        return 0;
    } catch (err) {
        if (err instanceof ConfigError) {
            console.error(err.message);
            return EXIT_INVALID_CONFIG;
        }
        if (err instanceof StackFileError || err instanceof OutputDirectoryError) {
            console.error(`render: ${err.message}`);
            return EXIT_BAD_FILES;
        }
        throw err;
    }
}

process.exitCode = main(process.argv.slice(2));
