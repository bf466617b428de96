// Runs verify in-process against a URL and captures what it prints, for the HTTP tests.
import { runVerify, type VerifyRun } from "../../tools/verify/main.ts";

export interface CapturedRun extends VerifyRun {
    stdout: string;
    stderr: string;
}

export async function verifyCaptured(args: string[]): Promise<CapturedRun> {
    let stdout = "";
    let stderr = "";
    const run = await runVerify(args, {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text), isTTY: false },
        projectDir: new URL("../../", import.meta.url).pathname,
    });
    return { ...run, stdout, stderr };
}
