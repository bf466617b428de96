// `scripts/try-local-clusters`: the dev stack applied for real, in one command. Starts two local
// clusters (tools/clusters), runs `pulumi up` of Pulumi.dev.yaml against their contexts with the real
// engine (a throwaway local state), reads back what each API server holds, prints the route, and
// leaves the clusters running with the lines to use and to stop them.
import { KubeApi } from "../tools/clusters/kube-api.ts";
import { startLocalClusters, stopLocalClusters } from "../tools/clusters/local-clusters.ts";
import { liveObjects, liveStackConfig, liveWorkspace, routeWeights } from "./clusters/live-stack.ts";
import { ensureEngine } from "./engine/ensure-engine.ts";

const NAMESPACE = "gray-demo";

function say(line: string): void {
    console.log(line);
}

async function main(): Promise<number> {
    const engineBin = ensureEngine();
    const clusters = await startLocalClusters({ count: 2, log: (line) => say(`clusters: ${line}`) });
    const workspace = liveWorkspace(engineBin, clusters, liveStackConfig(NAMESPACE));
    try {
        say("\n$ pulumi up   (stack dev, contexts mdemo-cluster1 and mdemo-cluster2)");
        const up = workspace.run(["up", "--yes"]);
        say(up.stdout.trimEnd());
        if (up.status !== 0) {
            console.error(up.stderr);
            throw new Error(`pulumi up exited ${up.status}`);
        }
        say("\nWhat each API server holds:");
        for (const cluster of clusters.clusters) {
            const api = new KubeApi(cluster);
            try {
                const objects = await liveObjects(api, NAMESPACE);
                say(`  ${cluster.name}: ${[...objects.keys()].join(", ")}`);
                const vs = objects.get("VirtualService/gray-demo-vs");
                if (vs !== undefined) {
                    say(`  ${cluster.name}: VirtualService route ${routeWeights(vs).map(([subset, weight]) => `${subset} ${weight}%`).join(", ")}`);
                }
            } finally {
                api.close();
            }
        }
    } catch (err) {
        await stopLocalClusters(clusters);
        throw err;
    } finally {
        workspace.remove();
    }
    say(`
The clusters keep running. Use them with:
  export KUBECONFIG='${clusters.kubeconfig}'
  ${clusters.binDir}/kubectl --context mdemo-cluster1 -n ${NAMESPACE} get deployments,virtualservices
Stop them (processes by pid, then their folder) with:
  scripts/clusters stop --dir '${clusters.dir}'`);
    return 0;
}

try {
    process.exitCode = await main();
} catch (err) {
    console.error(`try-local-clusters: ${(err as Error).message}`);
    process.exitCode = 1;
}
