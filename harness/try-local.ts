// `scripts/try-local-clusters`: the dev stack applied for real, in one command. Starts two local
// clusters (tools/clusters) and a real istiod beside them (tools/istiod), runs `pulumi up` of
// Pulumi.dev.yaml against the clusters' contexts with the real engine (a throwaway local state), reads
// back what each API server holds, asks istiod over xDS for the route the ingress gateway gets, and
// leaves clusters and istiod running with the lines to use and to stop them.
import { KubeApi } from "../tools/clusters/kube-api.ts";
import { startLocalClusters, stopLocalClusters } from "../tools/clusters/local-clusters.ts";
import { ingressGatewayObjects } from "../tools/istiod/ingress-gateway.ts";
import { settledIngressView } from "../tools/istiod/ingress-route.ts";
import { ingressSummary } from "../tools/istiod/ingress-summary.ts";
import { startIstiodInFolder, stopIstiodInFolder } from "../tools/istiod/istiod-folder.ts";
import { istioTools } from "../tools/istiod/istio-tools.ts";
import { shellQuote } from "../tools/shell-quote.ts";
import { liveObjects, liveStackConfig, liveWorkspace, routedService, routeWeights } from "./clusters/live-stack.ts";
import { ensureEngine } from "./engine/ensure-engine.ts";
import type { PulumiWorkspace } from "./engine/workspace.ts";

const NAMESPACE = "gray-demo";
/** istiod sends a remote cluster's endpoints a moment after the route; a minute is ample here. */
const ROUTE_TIMEOUT_MS = 60_000;
const FIELD_MANAGER = "try-local-clusters";

function say(line: string): void {
    console.log(line);
}

async function main(): Promise<number> {
    const engineBin = ensureEngine();
    const istioBin = istioTools();
    const config = liveStackConfig(NAMESPACE);
    const clusters = await startLocalClusters({ count: 2, log: (line) => say(`clusters: ${line}`) });
    let istiodDir: string | undefined;
    let workspace: PulumiWorkspace | undefined;
    try {
        workspace = liveWorkspace(engineBin, clusters, config);
        const { dir, info } = await startIstiodInFolder(istioBin, clusters.clusters);
        istiodDir = dir;
        say(`istiod: ready for ${info.clusterId} (remote: ${info.remoteClusterIds.join(", ")}), xDS on ${info.xds}`);
        // Not needed for xDS, but istioctl analyze (printed below) wants the gateway's pod and Service.
        const primaryCluster = clusters.clusters.find((c) => c.name === info.clusterId);
        if (primaryCluster === undefined) {
            throw new Error(`istiod runs for ${info.clusterId}, which is not one of the local clusters`);
        }
        const primary = new KubeApi(primaryCluster);
        try {
            for (const object of ingressGatewayObjects()) {
                await primary.apply(object, FIELD_MANAGER);
            }
        } finally {
            primary.close();
        }

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
        const service = routedService(config);
        const ingress = { binDir: istioBin, xds: info.xds, clusterId: info.clusterId };
        const view = await settledIngressView(ingress, service, ROUTE_TIMEOUT_MS);
        say("\nWhat istiod sends the ingress gateway over xDS (as Envoy would get it):");
        ingressSummary(view, service).forEach((line) => say(`  ${line}`));
        say(`
The clusters and istiod keep running. Use them with:
  export KUBECONFIG=${shellQuote(clusters.kubeconfig)}
  ${clusters.binDir}/kubectl --context mdemo-cluster1 -n ${NAMESPACE} get deployments,virtualservices
  ${istioBin}/ingress-xds -xds ${info.xds} -cluster-id ${info.clusterId}   # the ingress's route, TLS and endpoints, as JSON
  ${istioBin}/istioctl analyze --context mdemo-cluster1 --remote-contexts mdemo-cluster2 -n ${NAMESPACE}
Stop them (processes by pid, then their folders) with:
  scripts/istiod stop --dir ${shellQuote(dir)}
  scripts/clusters stop --dir ${shellQuote(clusters.dir)}`);
    } catch (err) {
        if (istiodDir !== undefined) {
            await stopIstiodInFolder(istiodDir);
        }
        await stopLocalClusters(clusters);
        throw err;
    } finally {
        workspace?.remove();
    }
    return 0;
}

try {
    process.exitCode = await main();
} catch (err) {
    console.error(`try-local-clusters: ${(err as Error).message}`);
    process.exitCode = 1;
}
