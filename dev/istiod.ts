// `scripts/istiod start|stop`: a real istiod for the local clusters of `scripts/clusters start`
// (see README, "Try it on local clusters"). `start` leaves istiod running after it exits and prints
// shell lines for `eval`: ISTIOD_XDS, the address `ingress-xds` asks for the ingress's route.
import path from "node:path";
import { readClustersFile } from "./clusters/local-clusters.ts";
import { startIstiodInFolder, stopIstiodInFolder } from "./istiod/istiod-folder.ts";
import { istioTools } from "./istiod/istio-tools.ts";
import { shellQuote } from "./shell-quote.ts";
import { UsageError } from "../tools/command/errors.ts";
import { exitStatusHelp } from "../tools/command/exit-codes.ts";
import { runMain } from "../tools/command/run-command.ts";
import { FOLDER_VARIABLES, folderFromFlagOrEnv, startStopCommand } from "./start-stop-cli.ts";

const CLUSTERS_DIR_VARIABLE = FOLDER_VARIABLES.clusters;
const DIR_VARIABLE = FOLDER_VARIABLES.istiod;
const USAGE = `Usage: scripts/istiod start [--clusters-dir <folder>]
       scripts/istiod stop [--dir <folder>]`;
const HELP = `  start   starts istiod for mdemo-cluster1, reading the other clusters through remote secrets;
          prints, for eval, ISTIOD_XDS (its plaintext xDS address) and ${DIR_VARIABLE} (its folder)
  stop    stops the istiod of <folder> (default: $${DIR_VARIABLE}) and removes the folder
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
        const { dir, info } = await startIstiodInFolder(binDir, readClustersFile(clustersDir).clusters);
        io.stderr.write(`istiod: ready in ${((Date.now() - started) / 1000).toFixed(1)} s for ${info.clusterId} ` +
            `(remote: ${info.remoteClusterIds.join(", ") || "none"}), xDS on ${info.xds}, log ${info.process.log}\n`);
        io.stderr.write(`istiod: the ingress's route: ${path.join(binDir, "ingress-xds")} -xds ${info.xds} -cluster-id ${info.clusterId}\n`);
        io.stderr.write(`istiod: stop it with: scripts/istiod stop --dir ${shellQuote(dir)}\n`);
        io.stdout.write(`export ISTIOD_XDS=${shellQuote(info.xds)}\n`);
        io.stdout.write(`export ${DIR_VARIABLE}=${shellQuote(dir)}\n`);
        return 0;
    },
    async stop(values, io) {
        const dir = folderFromFlagOrEnv(values.dir, DIR_VARIABLE);
        if (dir === undefined) {
            throw new UsageError(`stop needs --dir or $${DIR_VARIABLE}`);
        }
        await stopIstiodInFolder(dir);
        io.stderr.write(`istiod: stopped the istiod of ${dir} and removed it\n`);
        return 0;
    },
}));
