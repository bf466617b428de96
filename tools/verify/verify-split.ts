// verify as a typed function: design the tests, sample until the data decide, and return the verdict
// with its evidence. `npm run verify` prints what it returns; the rollout judges each step by it.
import { SplitDecision } from "./decision.ts";
import { designErrorTests, designSplit } from "./design.ts";
import { classifyResponse } from "./outcome.ts";
import { settle, type VerifyOptions } from "./options.ts";
import { startProgress } from "./progress.ts";
import { buildReport, type VerifyReport } from "./report.ts";
import { sample } from "./sampler.ts";

/** The verdict, its exit status and its evidence: what --json prints. */
export type VerifyResult = VerifyReport;

export async function verifySplit(given: VerifyOptions): Promise<VerifyResult> {
    const options = settle(given);
    const horizon = options.maxRequests;
    const decision = new SplitDecision(
        designSplit({ expected: options.expected, tolerance: options.tolerance, confidence: options.confidence, horizon }),
        designErrorTests({ maxErrorRate: options.maxErrorRate, confidence: options.confidence, horizon }),
    );
    const pattern = options.versionPattern;
    const stopProgress = options.progress === undefined ? () => {} : startProgress(options.progress, decision, options.maxRequests);
    const started = performance.now();
    let result;
    try {
        result = await sample({
            url: options.url,
            ...(options.host === undefined ? {} : { host: options.host }),
            ...(options.headers === undefined ? {} : { headers: options.headers }),
            concurrency: options.concurrency,
            timeoutMs: options.timeoutMs,
            maxRequests: options.maxRequests,
            classify: (status, body) => classifyResponse(status, body, pattern),
        }, (outcome) => decision.observe(outcome) !== undefined);
    } finally {
        stopProgress();
    }
    const { expectedFrom } = options;
    return buildReport({
        decision,
        url: options.url.href,
        expectedFrom: expectedFrom.kind === "stack" ? `stack ${expectedFrom.stack}` : `--expect ${expectedFrom.text}`,
        expectedKind: expectedFrom.kind,
        confidence: options.confidence,
        maxRequests: options.maxRequests,
        concurrency: options.concurrency,
        maxErrorRate: options.maxErrorRate,
        sent: result.sent,
        discarded: result.discarded,
        seconds: (performance.now() - started) / 1000,
    });
}
