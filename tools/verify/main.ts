// `npm run verify`, as a function: parse, design the tests, sample until decided, report. The CLI and
// the tests both call this, with their own output streams.
import { HELP, parseVerifyArgs, UsageError, type VerifyOptions } from "./args.ts";
import { SplitDecision } from "./decision.ts";
import { designErrorTests, designSplit } from "./design.ts";
import { expectedSplit } from "./expected.ts";
import { classifyResponse } from "./outcome.ts";
import { startProgress, type ProgressStream } from "./progress.ts";
import { renderReport } from "./render.ts";
import { buildReport, type VerifyReport } from "./report.ts";
import { sample } from "./sampler.ts";

export const USAGE_EXIT = 64;

export interface VerifyIO {
    stdout: { write(text: string): unknown };
    stderr: ProgressStream;
    /** Where Pulumi.<stack>.yaml files live. */
    projectDir: string;
}

export interface VerifyRun {
    exitCode: number;
    /** Absent for usage errors and --help. */
    report?: VerifyReport;
}

export async function runVerify(argv: string[], io: VerifyIO): Promise<VerifyRun> {
    let options: VerifyOptions | "help";
    let expected;
    try {
        options = parseVerifyArgs(argv);
        if (options === "help") {
            io.stdout.write(`${HELP}\n`);
            return { exitCode: 0 };
        }
        expected = expectedSplit(options.expectation, io.projectDir);
    } catch (err) {
        if (err instanceof UsageError) {
            io.stderr.write(`verify: ${err.message}\n`);
            return { exitCode: USAGE_EXIT };
        }
        throw err;
    }
    const horizon = options.maxRequests;
    const decision = new SplitDecision(
        designSplit({ expected, tolerance: options.tolerance, confidence: options.confidence, horizon }),
        designErrorTests({ maxErrorRate: options.maxErrorRate, confidence: options.confidence, horizon }),
    );
    const pattern = options.versionPattern;
    const stopProgress = startProgress(io.stderr, decision, options.maxRequests);
    const started = performance.now();
    let result;
    try {
        result = await sample({
            url: options.url,
            ...(options.host === undefined ? {} : { host: options.host }),
            concurrency: options.concurrency,
            timeoutMs: options.timeoutMs,
            maxRequests: options.maxRequests,
            classify: (status, body) => classifyResponse(status, body, pattern),
        }, (outcome) => decision.observe(outcome) !== undefined);
    } finally {
        stopProgress();
    }
    const report = buildReport({
        decision,
        url: options.url.href,
        expectedFrom: options.expectation.kind === "stack" ? `stack ${options.expectation.stack}` : `--expect ${options.expectation.text}`,
        expectedKind: options.expectation.kind,
        confidence: options.confidence,
        maxRequests: options.maxRequests,
        concurrency: options.concurrency,
        maxErrorRate: options.maxErrorRate,
        sent: result.sent,
        discarded: result.discarded,
        seconds: (performance.now() - started) / 1000,
    });
    if (options.json) {
        io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else if (report.verdict === "errors" && report.requests.versionResponses === 0) {
        // Nothing answered like the sample: a table of zeros would only bury the one line that matters.
        io.stderr.write(`verify: ${report.summary}\n`);
    } else {
        io.stdout.write(renderReport(report));
    }
    return { exitCode: report.exitCode, report };
}
