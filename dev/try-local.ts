// `scripts/try-local-clusters`: the dev stack applied for real, in one command. Starts two local
// clusters (dev/clusters) and their multi-primary mesh's control planes beside them, a real istiod
// per cluster (dev/istiod), runs `pulumi up` of the
// project's dev stack (Pulumi.dev.yaml, with its state inside the clusters' folder: local-stack.ts)
// against the clusters' contexts with the real engine, reads back what each API server holds, asks
// istiod over xDS for the route the ingress gateway gets, and, as root, starts the local data plane
// (dev/dataplane: a real Envoy gateway and sidecars fed by that istiod) and sends requests through
// it, then asks verify. It leaves clusters, istiod, data plane and stack ready for the README's next
// steps, with the shell lines to use them and to stop them.
import { readFileSync } from "node:fs";
import path from "node:path";
import { KubeApi } from "./clusters/kube-api.ts";
import { type StartedDataPlane, startDataPlane, stopDataPlane, waitForDataPlane } from "./dataplane/dataplane-folder.ts";
import { envoyTools } from "./dataplane/envoy-tools.ts";
import { type LocalClusters, startLocalClusters, stopLocalClusters } from "./clusters/local-clusters.ts";
import { ingressGatewayObjects } from "./istiod/ingress-gateway.ts";
import { settledIngressView } from "./istiod/ingress-route.ts";
import { ingressSummary } from "./istiod/ingress-summary.ts";
import type { IstiodInfo } from "./istiod/istiod.ts";
import { startIstiodInFolder, stopIstiodInFolder } from "./istiod/istiod-folder.ts";
import { istioTools } from "./istiod/istio-tools.ts";
import { clusterVariable, shellQuote } from "./shell-quote.ts";
import { ToolError } from "../tools/command/errors.ts";
import { exitStatusHelp } from "../tools/command/exit-codes.ts";
import { defineCommand, processIO, runMain } from "../tools/command/run-command.ts";
import { verifyAndPrint } from "../tools/verify/main.ts";
import { liveObjects, releaseConfigOf, routedService, routeWeights } from "./stacks/live-stack.ts";
import { createLocalStack, LOCAL_STACK, type LocalStack } from "./stacks/local-stack.ts";
import { ensureEngine } from "./engine/ensure-engine.ts";
import { stackFileConfig } from "./engine/render-mode.ts";
import { answerLines } from "./traffic/answers.ts";

/** istiod sends a remote cluster's endpoints a moment after the route; a minute is ample here. */
const ROUTE_TIMEOUT_MS = 60_000;
const FIELD_MANAGER = "try-local-clusters";
/** Requests sent through the gateway to show the split users get. */
const ANSWERS = 1000;

function say(line: string): void {
    console.log(line);
}

/** Not needed for xDS, but istioctl analyze (printed at the end) wants each primary's gateway pod and Service. */
async function applyIngressGateways(clusters: LocalClusters, istiods: IstiodInfo[]): Promise<void> {
    for (const info of istiods) {
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
    }
}

async function sayLiveObjects(clusters: LocalClusters, namespace: string): Promise<void> {
    say("\nWhat each API server holds:");
    for (const cluster of clusters.clusters) {
        const api = new KubeApi(cluster);
        try {
            const objects = await liveObjects(api, namespace);
            say(`  ${cluster.name}: ${[...objects.keys()].join(", ")}`);
            const vs = objects.get("VirtualService/gray-demo-vs");
            if (vs !== undefined) {
                say(`  ${cluster.name}: VirtualService route ${routeWeights(vs).map(([subset, weight]) => `${subset} ${weight}%`).join(", ")}`);
            }
        } finally {
            api.close();
        }
    }
}

/**
 * As root: the data plane, and what users get through its gateway (N requests, then verify against
 * the stack's weights, the same code as `npm run verify`). Without root, one line saying so.
 */
async function sayAnswers(clusters: LocalClusters, istiods: IstiodInfo[], istioBin: string, projectDir: string, namespace: string): Promise<StartedDataPlane | undefined> {
    if (process.getuid?.() !== 0) {
        say("\nThe data plane (a real Envoy gateway and sidecars) needs root for its network namespaces: run this as root to send requests through it.");
        return undefined;
    }
    const dataPlane = await startDataPlane({ clusters: clusters.clusters, istiods, istioBin, envoyDir: envoyTools() });
    try {
        const pods = await waitForDataPlane(dataPlane.dir, "every pod of the release with a ready sidecar", ROUTE_TIMEOUT_MS, (state) => {
            const release = state.pods.filter((p) => p.namespace === namespace);
            return release.length > 0 && release.every((p) => p.ready) ? state.pods : undefined;
        });
        const gateways = Object.entries(dataPlane.gateways).map(([cluster, address]) => `${address} (${cluster})`).join(", ");
        say(`\nThe data plane: the ingress gateways on ${gateways} and ${pods.filter((p) => p.role === "sidecar").length} pods with Envoy sidecars, ` +
            "each fed by its own cluster's istiod.");
        const url = `http://${dataPlane.ingress}/hello`;
        (await answerLines(url, ANSWERS, pods)).forEach(say);
        say(`\n$ npm run verify -- --url http://$INGRESS/hello --stack ${LOCAL_STACK}`);
        const verified = await verifyAndPrint({ verify: { url: new URL(url) }, expectation: { kind: "stack", stack: LOCAL_STACK }, json: false },
            { ...processIO(), cwd: projectDir });
        if (verified.exitCode !== 0) {
            throw new Error(`verify exited ${verified.exitCode}`);
        }
        return dataPlane;
    } catch (err) {
        await stopDataPlane(dataPlane.dir);
        throw err;
    }
}

/** What to type next: the shell set-up, the README's commands on this stack, and how to stop everything. */
function nextSteps(stack: LocalStack, clusters: LocalClusters, istioBin: string, istiod: { dir: string; istiods: IstiodInfo[] },
    namespace: string, dataPlane: StartedDataPlane | undefined): string[] {
    return [
        "",
        `The clusters, their istiods${dataPlane === undefined ? "" : ", the data plane"} and the ${LOCAL_STACK} stack keep running ` +
            `(its state is in ${stack.dir}, which goes with the clusters).`,
        "Set up a shell for them, in the project folder:",
        `  cd ${shellQuote(stack.projectDir)}`,
        ...stack.exportLines.map((line) => `  ${line}`),
        ...(dataPlane === undefined ? [] : [`  export INGRESS=${shellQuote(dataPlane.ingress)}`,
            ...Object.entries(dataPlane.gateways).map(([cluster, address]) => `  export ${clusterVariable("INGRESS", cluster)}=${shellQuote(address)}`)]),
        "The next steps in docs/local-clusters.md#next-steps then work as written (they change Pulumi.dev.yaml), e.g. moving the split:",
        "  pulumi config set-all --path --plaintext weights.v1=50 --plaintext weights.v2=50",
        "  pulumi preview",
        "  pulumi up",
        ...(dataPlane === undefined ? [] : [
            `  npm run verify -- --url "http://$INGRESS/hello" --stack ${LOCAL_STACK}`,
            `  npm run rollout -- --stack ${LOCAL_STACK} --to v2 --url "http://$INGRESS/hello" --steps 75,100 --pause 5s`,
        ]),
        "Take the release down (its namespace is protected; see docs/operating.md#taking-the-release-down):",
        "  pulumi state unprotect --all",
        "  pulumi destroy",
        "Look at the clusters and their istiods:",
        `  ${clusters.binDir}/kubectl --context mdemo-cluster1 -n ${namespace} get deployments,virtualservices`,
        ...istiod.istiods.map((info) =>
            `  ${istioBin}/ingress-xds -xds ${info.xds} -cluster-id ${info.clusterId}   # ${info.clusterId}'s ingress route, TLS and endpoints, as JSON`),
        `  ${istioBin}/istioctl analyze --context mdemo-cluster1 --remote-contexts mdemo-cluster2 -n ${namespace}`,
        "Stop them (processes by pid, then their folders, the stack's state with them) with:",
        ...(dataPlane === undefined ? [] : [`  scripts/dataplane stop --dir ${shellQuote(dataPlane.dir)}`]),
        `  scripts/istiod stop --dir ${shellQuote(istiod.dir)}`,
        `  scripts/clusters stop --dir ${shellQuote(clusters.dir)}`,
    ];
}

async function main(): Promise<number> {
    const engineBin = ensureEngine();
    const istioBin = istioTools();
    const clusters = await startLocalClusters({ count: 2, log: (line) => say(`clusters: ${line}`) });
    let istiodDir: string | undefined;
    try {
        const stack = createLocalStack({ engineBin, clusters });
        // The config `pulumi up` applies: the stack file as it is now, the user's edits included.
        const config = stackFileConfig(readFileSync(path.join(stack.projectDir, `Pulumi.${LOCAL_STACK}.yaml`), "utf8"));
        const { namespace } = releaseConfigOf(config);
        const istiod = await startIstiodInFolder(istioBin, clusters.clusters);
        istiodDir = istiod.dir;
        const [info] = istiod.istiods;
        if (info === undefined) {
            throw new Error("no istiod started");
        }
        for (const each of istiod.istiods) {
            say(`istiod: ready for ${each.clusterId} (remote: ${each.remoteClusterIds.join(", ")}), xDS on ${each.xds}`);
        }
        await applyIngressGateways(clusters, istiod.istiods);

        say(`\n$ pulumi up   (stack ${LOCAL_STACK}, contexts mdemo-cluster1 and mdemo-cluster2)`);
        const up = stack.run(["up", "--yes"]);
        say(up.stdout.trimEnd());
        if (up.status !== 0) {
            console.error(up.stderr);
            throw new Error(`pulumi up exited ${up.status}`);
        }
        await sayLiveObjects(clusters, namespace);
        const service = routedService(config);
        const view = await settledIngressView({ binDir: istioBin, xds: info.xds, clusterId: info.clusterId }, service, ROUTE_TIMEOUT_MS);
        say("\nWhat istiod sends the ingress gateway over xDS (as Envoy would get it):");
        ingressSummary(view, service).forEach((line) => say(`  ${line}`));
        const dataPlane = await sayAnswers(clusters, istiod.istiods, istioBin, stack.projectDir, namespace);
        nextSteps(stack, clusters, istioBin, istiod, namespace, dataPlane).forEach(say);
    } catch (err) {
        if (istiodDir !== undefined) {
            await stopIstiodInFolder(istiodDir);
        }
        // The stack's state is inside the clusters' folder: it goes too.
        await stopLocalClusters(clusters);
        throw err;
    }
    return 0;
}

await runMain(defineCommand({
    name: "try-local-clusters",
    usage: "Usage: scripts/try-local-clusters",
    help: `Starts two local clusters and istiod, applies the dev stack to them with \`pulumi up\`, shows what each
API server holds and what istiod sends the ingress gateway, and, as root, starts the data plane and sends
requests through it. Everything keeps running; the last lines say how to use it and how to stop it.

  -h, --help   show this help

${exitStatusHelp({ ok: "everything is up", toolError: "tool error (what it started is stopped again)" })}`,
    flags: {},
    options: () => ({}),
    async run() {
        try {
            return await main();
        } catch (err) {
            throw new ToolError((err as Error).message);
        }
    },
}));
