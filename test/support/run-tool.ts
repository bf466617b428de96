import { spawnSync } from "node:child_process";
import { PROJECT_DIR } from "./dev-stack.ts";

export interface ToolRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** How long a tool may run before it is killed: a tool that hangs fails its test (status null). */
const TOOL_TIMEOUT_MS = 60_000;

/** Runs one of the operator commands (tools/<name>.ts) with the Node that runs the tests. */
export function runTool(name: string, args: string[], cwd = PROJECT_DIR, timeoutMs = TOOL_TIMEOUT_MS): ToolRun {
    return runScript(`tools/${name}.ts`, args, cwd, timeoutMs);
}

/** Runs a script of the project (a path from its root, e.g. dev/sample-server.ts) with the Node that runs the tests. */
export function runScript(file: string, args: string[], cwd = PROJECT_DIR, timeoutMs = TOOL_TIMEOUT_MS): ToolRun {
    const result = spawnSync(process.execPath, [`${PROJECT_DIR}/${file}`, ...args],
        { cwd, encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
