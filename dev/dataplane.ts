// `scripts/dataplane start|stop`: a real data plane for the local clusters of `scripts/clusters start`
// and the istiod of `scripts/istiod start`: the ingress gateway and, for every pod of the mesh the
// API servers show, a network namespace with Istio's sidecar (pilot-agent and upstream Envoy) and
// the app. It needs root (network namespaces, iptables). `start` leaves it running and prints shell
// lines for `eval`: INGRESS, the gateway's address.
import { readClustersFile } from "./clusters/local-clusters.ts";
import { startDataPlane, stopDataPlane } from "./dataplane/dataplane-folder.ts";
import { envoyTools } from "./dataplane/envoy-tools.ts";
import { readIstiodFolder } from "./istiod/istiod-folder.ts";
import { istioTools } from "./istiod/istio-tools.ts";
import { clusterVariable, shellQuote } from "./shell-quote.ts";
import { ToolError, UsageError } from "../tools/command/errors.ts";
import { exitStatusHelp } from "../tools/command/exit-codes.ts";
import { runMain } from "../tools/command/run-command.ts";
import { FOLDER_VARIABLES, folderFromFlagOrEnv, startStopCommand } from "./start-stop-cli.ts";

const CLUSTERS_DIR_VARIABLE = FOLDER_VARIABLES.clusters;
const ISTIOD_DIR_VARIABLE = FOLDER_VARIABLES.istiod;
const DIR_VARIABLE = FOLDER_VARIABLES.dataplane;
const USAGE = `Usage: scripts/dataplane start [--clusters-dir <folder>] [--istiod-dir <folder>]
       scripts/dataplane stop [--dir <folder>]`;
const HELP = `  start   starts an ingress gateway in each istiod's cluster and a sidecar'd pod for every pod of the
          mesh, each proxy fed by its own cluster's istiod, and keeps following the clusters; prints,
          for eval, INGRESS (the first cluster's gateway's host:port), INGRESS_<CLUSTER> (each
          cluster's, e.g. INGRESS_MDEMO_CLUSTER2) and ${DIR_VARIABLE}
  stop    stops every pod of the data plane of <folder> (default: $${DIR_VARIABLE}), removes its
          namespaces, veths and bridge, and the folder
  --clusters-dir  default: $${CLUSTERS_DIR_VARIABLE}, as scripts/clusters start sets it
  --istiod-dir    default: $${ISTIOD_DIR_VARIABLE}, as scripts/istiod start sets it
  -h, --help      show this help

${exitStatusHelp({ ok: "started or stopped", toolError: "tool error (not root, or the data plane could not be started or stopped)" })}`;

await runMain(startStopCommand({
    name: "dataplane",
    usage: USAGE,
    help: HELP,
    flags: { "clusters-dir": { type: "string" }, "istiod-dir": { type: "string" }, dir: { type: "string" } },
    async start(values, io) {
        const clustersDir = folderFromFlagOrEnv(values["clusters-dir"], CLUSTERS_DIR_VARIABLE);
        const istiodDir = folderFromFlagOrEnv(values["istiod-dir"], ISTIOD_DIR_VARIABLE);
        if (clustersDir === undefined || istiodDir === undefined) {
            throw new UsageError(`start needs --clusters-dir and --istiod-dir, or $${CLUSTERS_DIR_VARIABLE} and $${ISTIOD_DIR_VARIABLE}`);
        }
        if (process.getuid?.() !== 0) {
            throw new ToolError("needs root: it makes network namespaces and iptables rules");
        }
        const started = Date.now();
        const dataPlane = await startDataPlane({
            clusters: readClustersFile(clustersDir).clusters,
            istiods: readIstiodFolder(istiodDir),
            istioBin: istioTools(),
            envoyDir: envoyTools(),
        });
        io.stderr.write(`dataplane: ingress gateways ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
            `${Object.entries(dataPlane.gateways).map(([cluster, address]) => `${cluster} on ${address}`).join(", ")}; pods and logs in ${dataPlane.dir}\n`);
        io.stderr.write(`dataplane: stop it with: scripts/dataplane stop --dir ${shellQuote(dataPlane.dir)}\n`);
        io.stdout.write(`export INGRESS=${shellQuote(dataPlane.ingress)}\n`);
        for (const [cluster, address] of Object.entries(dataPlane.gateways)) {
            io.stdout.write(`export ${clusterVariable("INGRESS", cluster)}=${shellQuote(address)}\n`);
        }
        io.stdout.write(`export ${DIR_VARIABLE}=${shellQuote(dataPlane.dir)}\n`);
        return 0;
    },
    async stop(values, io) {
        const dir = folderFromFlagOrEnv(values.dir, DIR_VARIABLE);
        if (dir === undefined) {
            throw new UsageError(`stop needs --dir or $${DIR_VARIABLE}`);
        }
        const swept = await stopDataPlane(dir);
        const left = [...swept.netns, ...swept.links];
        io.stderr.write(`dataplane: stopped the data plane of ${dir} and removed it` +
            (left.length === 0 ? "" : `; swept up after its controller: ${left.join(", ")}`) + "\n");
        return 0;
    },
}));
