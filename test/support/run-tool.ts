import { spawnSync } from "node:child_process";
import { PROJECT_DIR } from "./dev-stack.ts";

export interface ToolRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs one of the project's command-line tools (tools/<name>.ts) with the Node that runs the tests. */
export function runTool(name: string, args: string[], cwd = PROJECT_DIR): ToolRun {
    const result = spawnSync(process.execPath, [`${PROJECT_DIR}/tools/${name}.ts`, ...args], { cwd, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
