// `scripts/clusters start|stop`: local Kubernetes clusters for trying the stack for real (see README,
// "Try it on local clusters"). `start` leaves the clusters running after it exits and prints shell
// lines for `eval`; `stop` stops them by pid and removes their folder.
import path from "node:path";
import { parseArgs } from "node:util";
import { CLUSTERS_FILE, readClustersFile, startLocalClusters, stopLocalClusters } from "./clusters/local-clusters.ts";
import { shellQuote } from "./shell-quote.ts";

const DIR_VARIABLE = "HWG_CLUSTERS_DIR";
const USAGE = `Usage: scripts/clusters start [--count <n>] [--dir <folder>]
       scripts/clusters stop [--dir <folder>]
  start   starts <n> clusters (default 2): contexts mdemo-cluster1..n, Istio's CRDs served, one kwok
          node each; writes <folder>/${CLUSTERS_FILE} and prints, for eval, KUBECONFIG (every
          context) and ${DIR_VARIABLE} (the folder)
  stop    stops the clusters of <folder> (default: $${DIR_VARIABLE}) and removes the folder
  --dir   default for start: a new folder under the system's temp folder`;

const EXIT_FAILED = 1;
const EXIT_USAGE = 64;

async function main(argv: string[]): Promise<number> {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                count: { type: "string", default: "2" },
                dir: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
        });
    } catch (err) {
        console.error(`clusters: ${(err as Error).message}\n${USAGE}`);
        return EXIT_USAGE;
    }
    const { values, positionals } = parsed;
    const [command, ...extra] = positionals;
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (extra.length > 0 || (command !== "start" && command !== "stop")) {
        console.error(`clusters: expected "start" or "stop"\n${USAGE}`);
        return EXIT_USAGE;
    }
    const dir = values.dir === undefined ? undefined : path.resolve(values.dir);
    try {
        if (command === "start") {
            const clusters = await startLocalClusters({ count: Number(values.count), dir, log: (line) => console.error(`clusters: ${line}`) });
            for (const c of clusters.clusters) {
                console.error(`clusters: ${c.name}  ${c.server}  node ${c.node}, pods ${c.podCIDR}  kubeconfig ${c.kubeconfig}`);
            }
            console.error(`clusters: stop them with: scripts/clusters stop --dir ${shellQuote(clusters.dir)}`);
            console.log(`export KUBECONFIG=${shellQuote(clusters.kubeconfig)}`);
            console.log(`export ${DIR_VARIABLE}=${shellQuote(clusters.dir)}`);
            return 0;
        }
        const target = dir ?? process.env[DIR_VARIABLE];
        if (target === undefined || target === "") {
            console.error(`clusters: stop needs --dir or $${DIR_VARIABLE}\n${USAGE}`);
            return EXIT_USAGE;
        }
        await stopLocalClusters(readClustersFile(target));
        console.error(`clusters: stopped the clusters of ${target} and removed it`);
        return 0;
    } catch (err) {
        console.error(`clusters: ${(err as Error).message}`);
        return EXIT_FAILED;
    }
}

process.exitCode = await main(process.argv.slice(2));
