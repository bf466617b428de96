// `npm run verify` as a command: the expected split from where the flags say, verifySplit, and the
// result printed as a table (or JSON). The entry file and the tests run the same command.
import { defineCommand, type CommandIO } from "../command/run-command.ts";
import { HELP, USAGE, VERIFY_FLAGS, verifyCliOptions, type VerifyCliOptions } from "./args.ts";
import { expectedSplit } from "./expected.ts";
import { renderReport } from "./render.ts";
import { verifySplit, type VerifyResult } from "./verify-split.ts";

/** Runs verify as the command line asks and prints the result; returns it for in-process callers. */
export async function verifyAndPrint(options: VerifyCliOptions, io: CommandIO): Promise<VerifyResult> {
    const { expected, versionPattern } = expectedSplit(options.expectation, io.cwd);
    // --version-pattern, when given, wins over the stack's app.versionPattern.
    const result = await verifySplit({
        ...(versionPattern === undefined ? {} : { versionPattern }), ...options.verify, expected, expectedFrom: options.expectation, progress: io.stderr,
    });
    if (options.json) {
        io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else if (result.verdict === "errors" && result.requests.versionResponses === 0) {
        // Nothing answered like the sample: a table of zeros would only bury the one line that matters.
        io.stderr.write(`verify: ${result.summary}\n`);
    } else {
        io.stdout.write(renderReport(result));
    }
    return result;
}

export const verifyCommand = defineCommand({
    name: "verify",
    usage: USAGE,
    help: HELP,
    flags: VERIFY_FLAGS,
    options: verifyCliOptions,
    run: async (options, io) => (await verifyAndPrint(options, io)).exitCode,
});
