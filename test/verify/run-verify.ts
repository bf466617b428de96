// Runs verify in-process against a URL as the command line asks, and captures what it prints, for the HTTP tests.
import { parseCommandLine } from "../../tools/command/run-command.ts";
import { verifyAndPrint, verifyCommand } from "../../tools/verify/main.ts";
import type { VerifyResult } from "../../tools/verify/verify-split.ts";

export interface CapturedRun {
    exitCode: number;
    report: VerifyResult;
    stdout: string;
    stderr: string;
}

export async function verifyCaptured(args: string[]): Promise<CapturedRun> {
    let stdout = "";
    let stderr = "";
    const options = parseCommandLine(verifyCommand, args);
    if (options === "help") {
        throw new Error("verifyCaptured runs verify, not its help");
    }
    const report = await verifyAndPrint(options, {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text), isTTY: false },
        cwd: new URL("../../", import.meta.url).pathname,
    });
    return { exitCode: report.exitCode, report, stdout, stderr };
}
