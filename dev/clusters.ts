// `scripts/clusters start|stop`: local Kubernetes clusters for trying the stack for real (see README,
// "Try it on local clusters"). `start` leaves the clusters running after it exits and prints shell
// lines for `eval`; `stop` stops them by pid and removes their folder.
import path from "node:path";
import { CLUSTERS_FILE, readClustersFile, startLocalClusters, stopLocalClusters } from "./clusters/local-clusters.ts";
import { shellQuote } from "./shell-quote.ts";
import { FOLDER_VARIABLES, folderFromFlagOrEnv, runStartStopCli } from "./start-stop-cli.ts";

const DIR_VARIABLE = FOLDER_VARIABLES.clusters;
const USAGE = `Usage: scripts/clusters start [--count <n>] [--dir <folder>]
       scripts/clusters stop [--dir <folder>]
  start   starts <n> clusters (default 2): contexts mdemo-cluster1..n, Istio's CRDs served, one kwok
          node each; writes <folder>/${CLUSTERS_FILE} and prints, for eval, KUBECONFIG (every
          context) and ${DIR_VARIABLE} (the folder)
  stop    stops the clusters of <folder> (default: $${DIR_VARIABLE}) and removes the folder
  --dir   default for start: a new folder under the system's temp folder`;

process.exitCode = await runStartStopCli({
    name: "clusters",
    usage: USAGE,
    options: { count: { type: "string", default: "2" }, dir: { type: "string" } },
    async start(values) {
        const dir = values.dir === undefined ? undefined : path.resolve(values.dir);
        const clusters = await startLocalClusters({ count: Number(values.count), dir, log: (line) => console.error(`clusters: ${line}`) });
        for (const c of clusters.clusters) {
            console.error(`clusters: ${c.name}  ${c.server}  node ${c.node}, pods ${c.podCIDR}  kubeconfig ${c.kubeconfig}`);
        }
        console.error(`clusters: stop them with: scripts/clusters stop --dir ${shellQuote(clusters.dir)}`);
        console.log(`export KUBECONFIG=${shellQuote(clusters.kubeconfig)}`);
        console.log(`export ${DIR_VARIABLE}=${shellQuote(clusters.dir)}`);
        return 0;
    },
    async stop(values, usageError) {
        const target = folderFromFlagOrEnv(values.dir, DIR_VARIABLE);
        if (target === undefined) {
            return usageError(`stop needs --dir or $${DIR_VARIABLE}`);
        }
        await stopLocalClusters(readClustersFile(target));
        console.error(`clusters: stopped the clusters of ${target} and removed it`);
        return 0;
    },
}, process.argv.slice(2));
