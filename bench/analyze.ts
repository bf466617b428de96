// `npm run bench`, analyze's section: `npm run analyze` over the render of 25- and 50-cluster x
// 10-version stacks, as a whole process and in process, to show it is fast and linear in objects.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { evaluate } from "../policy/lib/rule.ts";
import { rules } from "../policy/rules.ts";
import { loadObjects } from "../tools/analyze/load.ts";
import { analyzePaths } from "../tools/analyze/main.ts";
import { generateStackFile } from "../harness/generate-stack.ts";
import type { BenchSection } from "./section.ts";
import { elapsedMs, formatMs, formatRatio, median, timeSideBySide } from "./timing.ts";

const PROJECT_DIR = fileURLToPath(new URL("..", import.meta.url));
const VERSIONS = 10;
const SIZES = [25, 50] as const;
const CLI_ROUNDS = 7;
const IN_PROCESS_ROUNDS = 15;
/** The policies alone take milliseconds: each sample runs them this many times, so timer and GC noise stay small. */
const POLICY_REPEATS = 20;
const CLI_TARGET_MS = 2000;
const LINEAR_RATIO = 2.5;
const PER_OBJECT_RATIO = 1.25;

/** Renders an N-cluster x 10-version stack with `npm run render` and returns the output directory. */
function renderStack(work: string, clusters: number): string {
    const stackFile = join(work, `Pulumi.c${clusters}.yaml`);
    const out = join(work, `rendered-${clusters}`);
    writeFileSync(stackFile, generateStackFile(clusters, VERSIONS));
    const run = spawnSync(process.execPath, ["tools/render.ts", "--config-file", stackFile, "--out", out], { cwd: PROJECT_DIR, encoding: "utf8" });
    if (run.status !== 0) {
        throw new Error(`render of ${clusters} clusters failed (${run.status}): ${run.stderr}`);
    }
    return out;
}

interface InProcess {
    objects: number;
    /** Load the YAML and run every policy: analyze minus Node start-up and printing. */
    wholeMs: number;
    /** Every policy over objects already loaded. */
    policiesMs: number;
}

/** Medians of the in-process analysis, interleaved across sizes after a warm-up. */
function timeInProcess(dirs: Record<number, string>): Record<number, InProcess> {
    const loaded = new Map(SIZES.map((n) => [n, loadObjects([dirs[n] ?? ""], { fromRenderMarker: true })]));
    const whole = new Map<number, number[]>(SIZES.map((n) => [n, []]));
    const policies = new Map<number, number[]>(SIZES.map((n) => [n, []]));
    for (const n of SIZES) {
        const findings = evaluate(rules, loaded.get(n) ?? []);
        if (findings.some((f) => f.level === "mandatory")) {
            throw new Error(`the ${n}-cluster render violates a mandatory policy: ${findings[0]?.message}`);
        }
    }
    for (let round = 0; round < IN_PROCESS_ROUNDS; round++) {
        for (const n of SIZES) {
            whole.get(n)?.push(elapsedMs(() => analyzePaths([dirs[n] ?? ""])));
            policies.get(n)?.push(elapsedMs(() => {
                for (let i = 0; i < POLICY_REPEATS; i++) {
                    evaluate(rules, loaded.get(n) ?? []);
                }
            }) / POLICY_REPEATS);
        }
    }
    return Object.fromEntries(SIZES.map((n) => [n, {
        objects: loaded.get(n)?.length ?? 0,
        wholeMs: median(whole.get(n) ?? []),
        policiesMs: median(policies.get(n) ?? []),
    }]));
}

export async function benchAnalyze(): Promise<BenchSection> {
    const work = mkdtempSync(join(tmpdir(), "bench-analyze-"));
    try {
        const dirs: Record<number, string> = Object.fromEntries(SIZES.map((n) => [n, renderStack(work, n)]));
        const cli = timeSideBySide(Object.fromEntries(SIZES.map((n) => [String(n), ["tools/analyze.ts", dirs[n] ?? ""]])), PROJECT_DIR, CLI_ROUNDS);
        const inProcess = timeInProcess(dirs);
        const small = inProcess[25] ?? { objects: NaN, wholeMs: NaN, policiesMs: NaN };
        const large = inProcess[50] ?? small;
        const [cliSmall, cliLarge] = [cli["25"] ?? NaN, cli["50"] ?? NaN];
        const wholeRatio = large.wholeMs / small.wholeMs;
        const policiesRatio = large.policiesMs / small.policiesMs;
        const perObject = (large.policiesMs / large.objects) / (small.policiesMs / small.objects);
        const ms = (value: number) => `${value.toFixed(1)} ms`;
        await Promise.resolve();
        return {
            title: `analyze (render of N clusters x ${VERSIONS} versions; CLI median of ${CLI_ROUNDS} runs, in-process median of ${IN_PROCESS_ROUNDS})`,
            lines: [
                { name: "objects, 25 / 50 clusters", value: `${small.objects} / ${large.objects}` },
                { name: "npm run analyze, 50x10 (whole process)", value: formatMs(cliLarge), target: `< ${CLI_TARGET_MS / 1000} s`, ok: cliLarge < CLI_TARGET_MS },
                { name: "npm run analyze, 25x10 (whole process)", value: formatMs(cliSmall) },
                { name: "whole process 50 / 25 (includes Node start-up)", value: formatRatio(cliLarge / cliSmall) },
                { name: "in process, load YAML + all policies, 25 / 50", value: `${ms(small.wholeMs)} / ${ms(large.wholeMs)}` },
                { name: "in process, all policies alone, 25 / 50", value: `${ms(small.policiesMs)} / ${ms(large.policiesMs)}` },
                { name: "load + policies 50 / 25 (2x objects)", value: formatRatio(wholeRatio), target: `<= ${LINEAR_RATIO}x (linear: 2x)`, ok: wholeRatio <= LINEAR_RATIO },
                { name: "policies alone 50 / 25 (2x objects)", value: formatRatio(policiesRatio), target: `<= ${LINEAR_RATIO}x (linear: 2x)`, ok: policiesRatio <= LINEAR_RATIO },
                { name: "policies alone, time per object 50 / 25", value: formatRatio(perObject), target: `<= ${PER_OBJECT_RATIO}x (linear: 1x)`, ok: perObject <= PER_OBJECT_RATIO },
            ],
        };
    } finally {
        rmSync(work, { recursive: true, force: true });
    }
}
