// `npm run bench`, the rollout's section: four steps (10, 25, 50, 100) with zero pause against the test
// ingress (harness/test-ingress.ts), real engine in render mode, verify only (no Prometheus). What
// the rollout adds per step beyond the update and verify's requests is its own overhead (target < 0.5 s).
// Beside it, the same weight change made by hand (`pulumi config set-all` + `pulumi up --policy-pack`).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ensureEngine } from "../dev/engine/ensure-engine.ts";
import { stackFileConfig } from "../dev/engine/render-mode.ts";
import { PulumiWorkspace } from "../dev/engine/workspace.ts";
import type { RolloutEvent, StepRow } from "../tools/rollout/events.ts";
import { startTestIngress } from "../harness/test-ingress.ts";
import type { BenchSection } from "./section.ts";
import { median } from "./timing.ts";

const STEPS = [10, 25, 50, 100];
const VIRTUAL_SERVICE = "mdemo-cluster1/1-manifest/networking.istio.io_v1-virtualservice-gray-demo-gray-demo-vs.yaml";
const TARGET_OVERHEAD_S = 0.5;
/** The test ingress follows the rendered file within milliseconds; the wait is configured, not overhead. */
const SETTLE_S = 0.1;

export async function benchRollout(projectDir: string): Promise<BenchSection> {
    const engineBin = ensureEngine();
    const config = stackFileConfig(readFileSync(path.join(projectDir, "Pulumi.dev.yaml"), "utf8"));
    config["helloworld-grayscale:weights"] = { v1: 100, v2: 0 };
    const workspace = new PulumiWorkspace({ engineBin, config, renderMode: true });
    try {
        workspace.mustRun(["up", "--yes", "--skip-preview"]);
        // By hand, the same four weight changes, then back to the start for the rollout.
        const byHand: number[] = [];
        for (const weight of [...STEPS, 0]) {
            const set = workspace.mustRun(["config", "set-all", "--path", "--plaintext", `weights.v1=${100 - weight}`, "--plaintext", `weights.v2=${weight}`]);
            const up = workspace.mustRun(["up", "--yes", "--policy-pack", workspace.policyPack]);
            if (weight !== 0) {
                byHand.push(set.seconds + up.seconds);
            }
        }
        const ingress = await startTestIngress({ virtualServiceFile: path.join(workspace.renderRoot, VIRTUAL_SERVICE) });
        let run;
        try {
            run = await rollout(projectDir, workspace, ["--stack", workspace.stack, "--to", "v2", "--url", ingress.url, "--steps", STEPS.join(","), "--pause", "0s", "--settle", `${SETTLE_S * 1000}ms`, "--json"]);
        } finally {
            await ingress.close();
        }
        const applied = run.events.flatMap((e) => (e.event === "applied" ? [e] : []));
        const rows = run.events.flatMap((e) => (e.event === "analysed" ? [e.row] : [])).filter((r): r is StepRow & { step: number } => typeof r.step === "number");
        if (run.code !== 0 || rows.length !== STEPS.length || applied.length !== STEPS.length) {
            throw new Error(`the benchmark's rollout exited ${run.code} after ${rows.length} steps: ${run.stderr}`);
        }
        const update = applied.map((a) => a.previewSeconds + a.upSeconds);
        const configSet = applied.map((a) => a.configSeconds);
        const verify = rows.map((r) => r.verify?.seconds ?? 0);
        const requests = rows.map((r) => r.verify?.requestSeconds ?? 0);
        const own = rows.map((r, i) => r.seconds - SETTLE_S - (update[i] ?? 0) - (configSet[i] ?? 0) - (verify[i] ?? 0));
        const beyondUpdate = rows.map((r, i) => r.seconds - SETTLE_S - (update[i] ?? 0) - (verify[i] ?? 0));
        const s = (v: number) => `${v.toFixed(2)} s`;
        return {
            title: `rollout (4 steps, zero pause, ${SETTLE_S * 1000} ms settle, verify against the test ingress, no Prometheus; real engine in render mode; median per step)`,
            lines: [
                { name: "whole rollout, process start to exit", value: s(run.seconds) },
                { name: "per step: preview + up (Automation API, policy pack)", value: s(median(update)) },
                { name: "per step: verify in-process (its tests' design + requests)", value: s(median(verify)) },
                { name: "per step: of which the requests to a verdict", value: s(median(requests)) },
                { name: "per step: pulumi config set-all of the weights", value: s(median(configSet)) },
                { name: "per step: the rollout's own work (the rest)", value: s(median(own)) },
                {
                    name: "per step beyond preview + up and verify (config set-all included)",
                    value: s(median(beyondUpdate)), target: `< ${TARGET_OVERHEAD_S} s`, ok: median(beyondUpdate) < TARGET_OVERHEAD_S,
                },
                { name: "by hand: config set-all + pulumi up --policy-pack (CLI)", value: s(median(byHand)) },
                { name: "per step, rollout (verify left out) minus by hand", value: s(median(rows.map((r, i) => r.seconds - SETTLE_S - (verify[i] ?? 0))) - median(byHand)) },
            ],
        };
    } finally {
        workspace.remove();
    }
}

async function rollout(projectDir: string, workspace: PulumiWorkspace, args: string[]) {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(projectDir, "tools/rollout.ts"), ...args], { cwd: workspace.dir, env: workspace.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const events = stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as RolloutEvent);
    return { code, stderr, events, seconds: (performance.now() - started) / 1000 };
}
