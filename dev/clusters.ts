// `scripts/clusters start|stop`: local Kubernetes clusters for trying the stack for real (see README,
// "Try it on local clusters"). `start` leaves the clusters running after it exits and prints shell
// lines for `eval`; `stop` stops them by pid and removes their folder.
import path from "node:path";
import { CLUSTERS_FILE, MAX_CLUSTERS, readClustersFile, startLocalClusters, stopLocalClusters } from "./clusters/local-clusters.ts";
import { shellQuote } from "./shell-quote.ts";
import { UsageError } from "../tools/command/errors.ts";
import { exitStatusHelp } from "../tools/command/exit-codes.ts";
import { numberFlag } from "../tools/command/flags.ts";
import { runMain } from "../tools/command/run-command.ts";
import { FOLDER_VARIABLES, folderFromFlagOrEnv, startStopCommand } from "./start-stop-cli.ts";

const DIR_VARIABLE = FOLDER_VARIABLES.clusters;
const USAGE = `Usage: scripts/clusters start [--count <n>] [--dir <folder>]
       scripts/clusters stop [--dir <folder>]`;
const HELP = `  start   starts <n> clusters (default 2): contexts mdemo-cluster1..n, Istio's CRDs served, one kwok
          node each; writes <folder>/${CLUSTERS_FILE} and prints, for eval, KUBECONFIG (every
          context) and ${DIR_VARIABLE} (the folder)
  stop    stops the clusters of <folder> (default: $${DIR_VARIABLE}) and removes the folder
  --dir   default for start: a new folder under the system's temp folder
  -h, --help  show this help

${exitStatusHelp({ ok: "started or stopped", toolError: "tool error (the clusters could not be started or stopped)" })}`;

await runMain(startStopCommand({
    name: "clusters",
    usage: USAGE,
    help: HELP,
    flags: { count: { type: "string", default: "2" }, dir: { type: "string" } },
    async start(values, io) {
        const dir = values.dir === undefined ? undefined : path.resolve(values.dir);
        const count = numberFlag("--count", values.count, (n) => Number.isInteger(n) && n >= 1 && n <= MAX_CLUSTERS, `a whole number from 1 to ${MAX_CLUSTERS}`);
        const clusters = await startLocalClusters({ count, dir, log: (line) => io.stderr.write(`clusters: ${line}\n`) });
        for (const c of clusters.clusters) {
            io.stderr.write(`clusters: ${c.name}  ${c.server}  node ${c.node}, pods ${c.podCIDR}  kubeconfig ${c.kubeconfig}\n`);
        }
        io.stderr.write(`clusters: stop them with: scripts/clusters stop --dir ${shellQuote(clusters.dir)}\n`);
        io.stdout.write(`export KUBECONFIG=${shellQuote(clusters.kubeconfig)}\n`);
        io.stdout.write(`export ${DIR_VARIABLE}=${shellQuote(clusters.dir)}\n`);
        return 0;
    },
    async stop(values, io) {
        const target = folderFromFlagOrEnv(values.dir, DIR_VARIABLE);
        if (target === undefined) {
            throw new UsageError(`stop needs --dir or $${DIR_VARIABLE}`);
        }
        await stopLocalClusters(readClustersFile(target));
        io.stderr.write(`clusters: stopped the clusters of ${target} and removed it\n`);
        return 0;
    },
}));
