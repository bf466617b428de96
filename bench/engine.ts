// `npm run bench:engine`: wall times of `pulumi preview` and `pulumi up` with the real engine and
// Kubernetes provider (local file backend): in render mode for the dev stack and a ten-cluster stack,
// then against two live local clusters for the dev stack (engine-live.ts), whose weight-change `up`
// has a target; exits 1 when it is missed.
// Each round moves the split (80/20 <-> 50/50), so every preview has updates to show and every up
// applies them: the owner's weight change, timed as a user waits for it. Warm: the engine is built,
// and one `up` per stack creates everything before the timed rounds.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchVerdict, EXIT_BENCH_FAILED } from "../harness/bench-verdict.ts";
import { ensureEngine } from "../dev/engine/ensure-engine.ts";
import { stackFileConfig } from "../dev/engine/render-mode.ts";
import { PulumiWorkspace } from "../dev/engine/workspace.ts";
import { generateStackFile } from "../harness/generate-stack.ts";
import { benchEngineLive, liveLines } from "./engine-live.ts";
import { benchTrafficLive, trafficLines } from "./traffic-live.ts";
import { type BenchSection, printSection } from "./section.ts";
import { formatMs, formatRatio, median } from "./timing.ts";

const ROUNDS = 5;
const SPLITS = [["weights.v1=50", "weights.v2=50"], ["weights.v1=80", "weights.v2=20"]] as const;

interface StackTimes {
    firstUp: number;
    preview: number[];
    up: number[];
}

export function benchEngine(projectDir: string): BenchSection {
    const bin = ensureEngine();
    const stacks = {
        dev: stackFileConfig(readFileSync(path.join(projectDir, "Pulumi.dev.yaml"), "utf8")),
        "10 clusters": stackFileConfig(generateStackFile(10, 2)),
    };
    const workspaces = Object.entries(stacks).map(([name, config]) => {
        const workspace = new PulumiWorkspace({ engineBin: bin, config, renderMode: true });
        const times: StackTimes = { firstUp: workspace.mustRun(["up", "--yes", "--skip-preview"]).seconds * 1000, preview: [], up: [] };
        return { name, workspace, times };
    });
    // Round-robin over the stacks, so a slow moment of the machine hits both alike.
    for (let round = 0; round < ROUNDS; round++) {
        for (const { workspace, times } of workspaces) {
            const split = SPLITS[round % SPLITS.length] ?? SPLITS[0];
            workspace.mustRun(["config", "set-all", "--path", ...split.flatMap((kv) => ["--plaintext", kv])]);
            times.preview.push(workspace.mustRun(["preview"]).seconds * 1000);
            times.up.push(workspace.mustRun(["up", "--yes"]).seconds * 1000);
        }
    }
    const [dev, large] = workspaces.map((w) => w.times) as [StackTimes, StackTimes];
    const runsVia = workspaces[0]?.workspace.hasLanguageHost ? "pulumi-language-nodejs" : "dev/engine/program-host.ts";
    workspaces.forEach(({ workspace }) => workspace.remove());
    return {
        title: `engine (pulumi ${pulumiVersion(bin)}, program via ${runsVia}; median of ${ROUNDS} weight changes each, interleaved)`,
        lines: [
            ...workspaces.flatMap(({ name, times }) => [
                { name: `${name}: first up (creates everything)`, value: formatMs(times.firstUp) },
                { name: `${name}: preview of a weight change`, value: formatMs(median(times.preview)) },
                { name: `${name}: up of a weight change (preview + update)`, value: formatMs(median(times.up)) },
            ]),
            { name: "10 clusters / dev, preview", value: formatRatio(median(large.preview) / median(dev.preview)) },
            { name: "10 clusters / dev, up", value: formatRatio(median(large.up) / median(dev.up)) },
        ],
    };
}

function pulumiVersion(bin: string): string {
    return spawnSync(path.join(bin, "pulumi"), ["version"], { encoding: "utf8" }).stdout.trim();
}

async function benchEngineOnLiveClusters(): Promise<BenchSection> {
    const times = await benchEngineLive(ROUNDS, (line) => console.error(line));
    return {
        title: `engine against two live local clusters (dev stack; median of ${ROUNDS} weight changes)`,
        lines: liveLines(times),
    };
}

async function benchDataPlane(): Promise<BenchSection> {
    if (process.getuid?.() !== 0) {
        return { title: "data plane (issue #16): not run, it needs root (network namespaces)", lines: [] };
    }
    const times = await benchTrafficLive(ROUNDS, (line) => console.error(line));
    return { title: "the dev stack on the local data plane: real Envoy gateway and sidecars, real istiod", lines: trafficLines(times) };
}

async function main(): Promise<number> {
    const sections: BenchSection[] = [];
    for (const run of [() => Promise.resolve(benchEngine(fileURLToPath(new URL("..", import.meta.url)))), benchEngineOnLiveClusters, benchDataPlane]) {
        const section = await run();
        printSection(section);
        sections.push(section);
    }
    const verdict = benchVerdict(sections);
    console.log(`\n${verdict.text}`);
    return verdict.exitCode;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    try {
        process.exitCode = await main();
    } catch (err) {
        // Its own status, so that a caller (CI) can tell a missed target from a benchmark that broke.
        console.error(`bench:engine: ${(err as Error).stack ?? String(err)}`);
        process.exitCode = EXIT_BENCH_FAILED;
    }
}
