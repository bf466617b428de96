import { spawnSync } from "node:child_process";
import { PROJECT_DIR } from "./dev-stack.ts";

export interface ToolRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** How long a tool may run before it is killed: a tool that hangs fails its test (status null). */
const TOOL_TIMEOUT_MS = 60_000;

/** Runs one of the project's command-line tools (tools/<name>.ts) with the Node that runs the tests. */
export function runTool(name: string, args: string[], cwd = PROJECT_DIR, timeoutMs = TOOL_TIMEOUT_MS): ToolRun {
    const result = spawnSync(process.execPath, [`${PROJECT_DIR}/tools/${name}.ts`, ...args],
        { cwd, encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
