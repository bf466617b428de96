// The data-plane part of `npm run bench:engine` (issue #16): the dev stack on two local clusters with
// their istiods (one per cluster, multi-primary) and the local data plane (Envoy gateways and sidecars),
// timed as traffic sees it through mdemo-cluster1's gateway:
//   - how long the data plane takes to answer (the gateway ready; then, after the first `pulumi up`,
//     both versions answering through it), and each proxy's memory;
//   - from `pulumi up` returning to the new split in the answers: the weights flip 100/0 <-> 0/100,
//     so the first answer from the version that had no weight is the new route at work, under a
//     steady stream of requests started before the up (a negative figure: it was there before up returned);
//   - verify against the real gateway: requests and seconds to a verdict;
//   - the rollout's overhead per step against the real gateway: its time beyond the pauses it was told to wait.
// Needs root (network namespaces).
import { readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { liveStackConfig, liveWorkspace } from "../dev/stacks/live-stack.ts";
import { ensureEngine } from "../dev/engine/ensure-engine.ts";
import type { PulumiWorkspace } from "../dev/engine/workspace.ts";
import { startGatewayPrometheus } from "../harness/traffic/gateway-prometheus.ts";
import type { PrometheusServer } from "../harness/prometheus-server.ts";
import { burst, steadyStream } from "../dev/traffic/requests.ts";
import { runRollout, stepOverheadsMs } from "../harness/traffic/rollout-run.ts";
import { waitFor, waitUntil } from "../dev/clusters/kube-api.ts";
import { startLocalClusters, stopLocalClusters } from "../dev/clusters/local-clusters.ts";
import { readState } from "../dev/dataplane/dataplane-files.ts";
import { startDataPlane, stopDataPlane } from "../dev/dataplane/dataplane-folder.ts";
import { envoyTools } from "../dev/dataplane/envoy-tools.ts";
import { netnsPids } from "../dev/dataplane/host-network.ts";
import { startIstiodInFolder, stopIstiodInFolder } from "../dev/istiod/istiod-folder.ts";
import { istioTools } from "../dev/istiod/istio-tools.ts";
import { parseExpect } from "../tools/verify/expected.ts";
import { verifySplit } from "../tools/verify/verify-split.ts";
import type { BenchLine } from "./section.ts";
import { formatMs, median } from "./timing.ts";

const NAMESPACE = "gray-demo";
/** The target: the new split in the answers within 0.2 s of `pulumi up` returning. */
export const PROPAGATION_TARGET_MS = 200;

export interface TrafficTimes {
    gatewayReadyMs: number;
    /** From the first up returning to both versions answering through the gateway. */
    firstAnswersMs: number;
    /** Resident memory per process kind, MiB, over every proxy. */
    memoryMiB: Record<string, number[]>;
    /** Per flip: first answer from the newly weighted version minus the moment up returned. */
    propagationMs: number[];
    verify: { requests: number; seconds: number; verdict: string };
    /** Per step: the rollout's time beyond its pause. */
    rolloutStepOverheadMs: number;
}

/** VmRSS of each process in the pods' namespaces, by its executable (envoy, pilot-agent, node: the app). */
function memoryByCommand(dataPlaneDir: string): Record<string, number[]> {
    const byCommand: Record<string, number[]> = {};
    for (const pod of readState(dataPlaneDir).pods) {
        for (const pid of netnsPids(pod.netns)) {
            try {
                // The executable, not comm: Node names its main thread "MainThread".
                const command = path.basename(readlinkSync(`/proc/${pid}/exe`));
                const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
                if (rss !== undefined) {
                    (byCommand[command] ??= []).push(Number(rss) / 1024);
                }
            } catch {
                // Gone between the listing and the read.
            }
        }
    }
    return byCommand;
}

/** Flips the split and returns when the first answer from `to` came, relative to up's return (ms). */
async function flip(workspace: PulumiWorkspace, url: string, to: "v1" | "v2"): Promise<number> {
    const from = to === "v1" ? "v2" : "v1";
    const answers: { at: number; version: string | undefined }[] = [];
    const stream = steadyStream(url, { clients: 4, intervalMs: 0, onAnswer: (version) => answers.push({ at: performance.now(), version }) });
    try {
        workspace.mustRun(["config", "set-all", "--path", "--plaintext", `weights.${to}=100`, "--plaintext", `weights.${from}=0`]);
        workspace.mustRun(["up", "--yes"]);
        const returned = performance.now();
        await waitUntil(`an answer from ${to}`, 30_000, () => (answers.some((a) => a.version === to) ? true : undefined));
        const first = answers.find((a) => a.version === to);
        return (first?.at ?? Number.NaN) - returned;
    } finally {
        await stream.stop();
    }
}

/**
 * A rollout of v2 from 0 to 50 to 100 with 2 s pauses, judged on Prometheus scraping the gateway,
 * while users keep sending requests: the median time per step beyond its pause.
 */
async function rolloutOverhead(workspace: PulumiWorkspace, url: string, dataPlaneDir: string): Promise<number> {
    workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=100", "--plaintext", "weights.v2=0"]);
    workspace.mustRun(["up", "--yes"]);
    // The gateway `url` reaches: each cluster has one.
    const gateway = readState(dataPlaneDir).pods.find((p) => p.role === "gateway" && new URL(url).hostname === p.ip);
    if (gateway === undefined) {
        throw new Error(`no gateway pod answers at ${url}`);
    }
    // Users before Prometheus, which waits for the gateway's series of the Service.
    const users = steadyStream(url, { clients: 2, intervalMs: 25, maxMs: 120_000 });
    let prometheus: PrometheusServer | undefined;
    try {
        prometheus = await startGatewayPrometheus([gateway], NAMESPACE);
        const result = await runRollout(workspace, ["--to", "v2", "--url", url, "--prometheus", prometheus.url, "--steps", "50,100",
            "--pause", "2s", "--settle", "200ms", "--min-requests", "20", "--max-pause", "20s"]);
        if (result.code !== 0) {
            const done = result.events.find((e) => e.event === "done");
            throw new Error(`the rollout exited ${result.code}: ${done?.event === "done" ? done.summary : result.stderr}`);
        }
        return median(stepOverheadsMs(result));
    } finally {
        await users.stop();
        await prometheus?.stop();
    }
}

export async function benchTrafficLive(rounds: number, log: (line: string) => void): Promise<TrafficTimes> {
    const engineBin = ensureEngine();
    const istioBin = istioTools();
    const envoyDir = envoyTools();
    const clusters = await startLocalClusters({ count: 2, log: (line) => log(`clusters: ${line}`) });
    let istiodDir: string | undefined;
    let dataPlaneDir: string | undefined;
    let workspace: PulumiWorkspace | undefined;
    try {
        const { dir, istiods } = await startIstiodInFolder(istioBin, clusters.clusters);
        istiodDir = dir;
        const started = performance.now();
        const dataPlane = await startDataPlane({ clusters: clusters.clusters, istiods, istioBin, envoyDir });
        dataPlaneDir = dataPlane.dir;
        const gatewayReadyMs = performance.now() - started;
        const url = `http://${dataPlane.ingress}/hello`;

        workspace = liveWorkspace(engineBin, clusters, liveStackConfig(NAMESPACE));
        workspace.mustRun(["up", "--yes", "--skip-preview"]);
        const upReturned = performance.now();
        await waitFor("v1 and v2 answering through the gateway", 60_000, async () => {
            const tally = await burst(url, 20, 4);
            return tally.versions.has("v1") && tally.versions.has("v2") ? true : undefined;
        });
        const firstAnswersMs = performance.now() - upReturned;
        const memoryMiB = memoryByCommand(dataPlane.dir);

        const verifyResult = await verifySplit({ url: new URL(url), expected: parseExpect("v1=80,v2=20") });
        const verify = {
            requests: verifyResult.requests.versionResponses,
            seconds: verifyResult.seconds,
            verdict: verifyResult.verdict,
        };

        const propagationMs: number[] = [];
        for (let round = 0; round < rounds; round++) {
            propagationMs.push(await flip(workspace, url, round % 2 === 0 ? "v2" : "v1"));
        }
        const rolloutStepOverheadMs = await rolloutOverhead(workspace, url, dataPlane.dir);
        return { gatewayReadyMs, firstAnswersMs, memoryMiB, propagationMs, verify, rolloutStepOverheadMs };
    } finally {
        workspace?.remove();
        if (dataPlaneDir !== undefined) {
            await stopDataPlane(dataPlaneDir);
        }
        if (istiodDir !== undefined) {
            await stopIstiodInFolder(istiodDir);
        }
        await stopLocalClusters(clusters);
    }
}

export function trafficLines(times: TrafficTimes): BenchLine[] {
    const propagation = median(times.propagationMs);
    const memory = Object.entries(times.memoryMiB).sort().map(([command, values]): BenchLine => ({
        name: `data plane: resident memory per ${command} (${values.length} running)`,
        value: `${median(values).toFixed(0)} MiB`,
    }));
    return [
        { name: "data plane: start to every cluster's ingress gateway's Envoy ready", value: formatMs(times.gatewayReadyMs) },
        { name: "data plane: first up returned to v1 and v2 answering through the gateway", value: formatMs(times.firstAnswersMs) },
        ...memory,
        {
            name: `data plane: up returned to the new split in the answers (median of ${times.propagationMs.length}; negative: before)`,
            value: formatMs(propagation),
            target: `< ${formatMs(PROPAGATION_TARGET_MS)}`,
            ok: propagation < PROPAGATION_TARGET_MS,
        },
        { name: `data plane: verify at 80/20 through the gateway (${times.verify.verdict})`, value: `${times.verify.requests} requests in ${times.verify.seconds.toFixed(2)} s` },
        { name: "data plane: rollout, time per step beyond its 2 s pause (preview, up, verify, Prometheus)", value: formatMs(times.rolloutStepOverheadMs) },
    ];
}
