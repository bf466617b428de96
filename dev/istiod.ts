// `scripts/istiod start|stop`: the control planes of the local clusters of `scripts/clusters start`,
// a multi-primary mesh: a real istiod per cluster (see README, "Try it on local clusters"). `start`
// leaves them running after it exits and prints shell lines for `eval`: ISTIOD_XDS, the address
// `ingress-xds` asks for mdemo-cluster1's ingress route, and ISTIOD_XDS_<CLUSTER> for each cluster's.
import path from "node:path";
import { readClustersFile } from "./clusters/local-clusters.ts";
import { startIstiodInFolder, stopIstiodInFolder } from "./istiod/istiod-folder.ts";
import { istioTools } from "./istiod/istio-tools.ts";
import { clusterVariable, shellQuote } from "./shell-quote.ts";
import { UsageError } from "../tools/command/errors.ts";
import { exitStatusHelp } from "../tools/command/exit-codes.ts";
import { runMain } from "../tools/command/run-command.ts";
import { FOLDER_VARIABLES, folderFromFlagOrEnv, startStopCommand } from "./start-stop-cli.ts";

const CLUSTERS_DIR_VARIABLE = FOLDER_VARIABLES.clusters;
const DIR_VARIABLE = FOLDER_VARIABLES.istiod;
const USAGE = `Usage: scripts/istiod start [--clusters-dir <folder>]
       scripts/istiod stop [--dir <folder>]`;
const HELP = `  start   starts an istiod for each cluster, reading the others through remote secrets, all under one
          root CA; prints, for eval, ISTIOD_XDS (the first cluster's plaintext xDS address),
          ISTIOD_XDS_<CLUSTER> (each cluster's, e.g. ISTIOD_XDS_MDEMO_CLUSTER2) and ${DIR_VARIABLE} (their folder)
  stop    stops the istiods of <folder> (default: $${DIR_VARIABLE}) and removes the folder
  --clusters-dir  the clusters' folder (default: $${CLUSTERS_DIR_VARIABLE}, as scripts/clusters start sets it)
  -h, --help      show this help

${exitStatusHelp({ ok: "started or stopped", toolError: "tool error (istiod could not be started or stopped)" })}`;

await runMain(startStopCommand({
    name: "istiod",
    usage: USAGE,
    help: HELP,
    flags: { "clusters-dir": { type: "string" }, dir: { type: "string" } },
    async start(values, io) {
        const clustersDir = folderFromFlagOrEnv(values["clusters-dir"], CLUSTERS_DIR_VARIABLE);
        if (clustersDir === undefined) {
            throw new UsageError(`start needs --clusters-dir or $${CLUSTERS_DIR_VARIABLE} (scripts/clusters start prints it)`);
        }
        const binDir = istioTools();
        const started = Date.now();
        const { dir, istiods } = await startIstiodInFolder(binDir, readClustersFile(clustersDir).clusters);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        for (const info of istiods) {
            io.stderr.write(`istiod: ready in ${seconds} s for ${info.clusterId} ` +
                `(remote: ${info.remoteClusterIds.join(", ") || "none"}), xDS on ${info.xds}, log ${info.process.log}\n`);
            io.stderr.write(`istiod: ${info.clusterId}'s ingress route: ${path.join(binDir, "ingress-xds")} -xds ${info.xds} -cluster-id ${info.clusterId}\n`);
        }
        io.stderr.write(`istiod: stop them with: scripts/istiod stop --dir ${shellQuote(dir)}\n`);
        io.stdout.write(`export ISTIOD_XDS=${shellQuote(istiods[0]?.xds ?? "")}\n`);
        for (const info of istiods) {
            io.stdout.write(`export ${clusterVariable("ISTIOD_XDS", info.clusterId)}=${shellQuote(info.xds)}\n`);
        }
        io.stdout.write(`export ${DIR_VARIABLE}=${shellQuote(dir)}\n`);
        return 0;
    },
    async stop(values, io) {
        const dir = folderFromFlagOrEnv(values.dir, DIR_VARIABLE);
        if (dir === undefined) {
            throw new UsageError(`stop needs --dir or $${DIR_VARIABLE}`);
        }
        await stopIstiodInFolder(dir);
        io.stderr.write(`istiod: stopped the istiods of ${dir} and removed it\n`);
        return 0;
    },
}));
