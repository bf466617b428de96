// `npm run rollout -- ... --json` against the local data plane's gateway, in a live stack's folder,
// with the stack's own environment (its backend and engine): what the traffic tests judge and the
// benchmark times, read back as the rollout's events.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import type { RolloutEvent } from "../../tools/rollout/events.ts";

const ROLLOUT = fileURLToPath(new URL("../../tools/rollout.ts", import.meta.url));

export interface RolloutResult {
    code: number | null;
    events: RolloutEvent[];
    stderr: string;
}

export async function runRollout(workspace: PulumiWorkspace, args: string[]): Promise<RolloutResult> {
    const child = spawn(process.execPath, [ROLLOUT, "--stack", workspace.stack, ...args, "--json"],
        { cwd: workspace.dir, env: workspace.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const events = stdout.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as RolloutEvent);
    return { code, events, stderr };
}

/** Each analysed step's time beyond the pause it was told to wait: the rollout's own cost per step, ms. */
export function stepOverheadsMs(result: RolloutResult): number[] {
    const start = result.events.find((e) => e.event === "start");
    const pauseSeconds = start?.event === "start" ? start.pauseSeconds : Number.NaN;
    return result.events.flatMap((e) => (e.event === "analysed" && typeof e.row.step === "number"
        ? [(e.row.seconds - pauseSeconds) * 1000] : []));
}

