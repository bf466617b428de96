// The live part of `npm run bench:engine`: a weight change of the dev stack against two local
// clusters (dev/clusters: real kube-apiserver, etcd, kwok), with the real engine and Kubernetes
// provider, timed as the owner waits for it, beside what the same change costs with
// `kubectl apply --server-side` of the VirtualService in both clusters. The split moves 80/20 <-> 50/50
// every round, so every command has work to do.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { planRelease } from "../manifests/plan.ts";
import { liveStackConfig, liveWorkspace, releaseConfigOf } from "../dev/stacks/live-stack.ts";
import { ensureEngine } from "../dev/engine/ensure-engine.ts";
import type { PulumiWorkspace } from "../dev/engine/workspace.ts";
import { startLocalClusters, stopLocalClusters } from "../dev/clusters/local-clusters.ts";
import { waitUntilSettled } from "../dev/clusters/settle.ts";
import type { BenchLine } from "./section.ts";
import { elapsedMs, formatMs, median } from "./timing.ts";

const NAMESPACE = "gray-demo";
const SPLITS = [{ v1: 50, v2: 50 }, { v1: 80, v2: 20 }] as const;
/** The target for the owner's weight change (`pulumi up`, preview included), on a quiet machine. */
export const LIVE_WEIGHT_CHANGE_TARGET_MS = 2000;

export interface LiveTimes {
    firstUp: number;
    /** How long the clusters took to settle after the first up, before the timed rounds. */
    settle: number;
    preview: number[];
    up: number[];
    upSkipPreview: number[];
    upWithoutCompileCache: number[];
    kubectl: number[];
}

function setSplit(run: (args: string[]) => unknown, split: Record<string, number>): void {
    run(["config", "set-all", "--path", ...Object.entries(split).flatMap(([version, weight]) => ["--plaintext", `weights.${version}=${weight}`])]);
}

/** The VirtualService each cluster gets for `split`, as the program plans it: one file per cluster. */
function virtualServiceFiles(dir: string, split: Record<string, number>): { context: string; file: string }[] {
    const release = releaseConfigOf(liveStackConfig(NAMESPACE, { weights: split }));
    return planRelease(release).flatMap((plan) => plan.manifests
        .filter((m) => m.kind === "VirtualService")
        .map((vs) => {
            const file = path.join(dir, `${plan.cluster.name}-${split.v1}.yaml`);
            writeFileSync(file, stringify(vs));
            return { context: plan.cluster.context ?? plan.cluster.name, file };
        }));
}

/** Runs the live rounds; starts two local clusters and stops them, also on failure. */
export async function benchEngineLive(rounds: number, log: (line: string) => void): Promise<LiveTimes> {
    const engineBin = ensureEngine();
    const clusters = await startLocalClusters({ count: 2, log: (line) => log(`clusters: ${line}`) });
    const dir = mkdtempSync(path.join(tmpdir(), "hwg-bench-live-"));
    let workspace: PulumiWorkspace | undefined;
    try {
        workspace = liveWorkspace(engineBin, clusters, liveStackConfig(NAMESPACE));
        const firstUp = workspace.mustRun(["up", "--yes", "--skip-preview"]).seconds * 1000;
        // A user's clusters have long finished starting; these have not (see dev/clusters/settle.ts).
        const settle = await waitUntilSettled(clusters.clusters.flatMap((c) => c.processes));
        const times: LiveTimes = { firstUp, settle, preview: [], up: [], upSkipPreview: [], upWithoutCompileCache: [], kubectl: [] };
        const live = workspace;
        const run = (args: string[], env: Record<string, string> = {}) => live.mustRun(args, env);
        for (let round = 0; round < rounds; round++) {
            // Each round moves the split there and back twice: preview and up of one change; up of the
            // change back without Node's compile cache (what index.ts and the program host turn on);
            // up --skip-preview (the preview's share); then kubectl of the change back (what a hand
            // edit costs), which the stack undoes with up --refresh.
            const [there, back] = round % 2 === 0 ? SPLITS : [SPLITS[1], SPLITS[0]];
            setSplit(run, there);
            times.preview.push(run(["preview"]).seconds * 1000);
            times.up.push(run(["up", "--yes"]).seconds * 1000);
            setSplit(run, back);
            times.upWithoutCompileCache.push(run(["up", "--yes"], { NODE_DISABLE_COMPILE_CACHE: "1" }).seconds * 1000);
            setSplit(run, there);
            times.upSkipPreview.push(run(["up", "--yes", "--skip-preview"]).seconds * 1000);
            const files = virtualServiceFiles(dir, back);
            times.kubectl.push(elapsedMs(() => {
                for (const { context, file } of files) {
                    execFileSync(path.join(clusters.binDir, "kubectl"), [
                        "apply", "--server-side", "--force-conflicts", "--field-manager=bench-kubectl", "--context", context, "-f", file,
                    ], { env: { ...process.env, KUBECONFIG: clusters.kubeconfig }, stdio: "ignore" });
                }
            }));
            run(["up", "--yes", "--skip-preview", "--refresh"]);
        }
        return times;
    } finally {
        workspace?.remove();
        rmSync(dir, { recursive: true, force: true });
        await stopLocalClusters(clusters);
    }
}

export function liveLines(times: LiveTimes): BenchLine[] {
    const up = median(times.up);
    return [
        { name: "live dev: first up (creates everything, waits for readiness)", value: formatMs(times.firstUp) },
        { name: "live dev: clusters settled after the first up in", value: formatMs(times.settle) },
        { name: "live dev: preview of a weight change", value: formatMs(median(times.preview)) },
        {
            name: "live dev: up of a weight change (preview + update)",
            value: formatMs(up),
            target: `<= ${formatMs(LIVE_WEIGHT_CHANGE_TARGET_MS)} on a quiet machine`,
            ok: up <= LIVE_WEIGHT_CHANGE_TARGET_MS,
        },
        { name: "live dev: up --skip-preview of a weight change", value: formatMs(median(times.upSkipPreview)) },
        { name: "live dev: up of a weight change without Node's compile cache", value: formatMs(median(times.upWithoutCompileCache)) },
        { name: "live dev: kubectl apply --server-side of the VirtualService, both clusters", value: formatMs(median(times.kubectl)) },
    ];
}
