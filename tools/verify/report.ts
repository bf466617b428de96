// The result of a run as plain data: what --json prints and what the table and chart are drawn from.
import { EXIT } from "../command/exit-codes.ts";
import { PLAIN_HTTP_ANSWER } from "./connection-error.ts";
import type { ErrorStatus, SplitDecision } from "./decision.ts";
import { UNKNOWN, type CategoryTests } from "./design.ts";
import { shareInterval } from "./intervals.ts";
import { ERROR_KINDS, type ErrorKind } from "./outcome.ts";

export type VerdictKind = "match" | "mismatch" | "errors" | "inconclusive";

/**
 * A verdict's exit status: MATCH passes; MISMATCH, INCONCLUSIVE and too many errors among answers fail
 * it; when nothing answered like the sample there was nothing to judge, a tool error.
 */
export function verdictExitStatus(verdict: VerdictKind, versionResponses: number): number {
    return verdict === "match" ? EXIT.ok : verdict === "errors" && versionResponses === 0 ? EXIT.toolError : EXIT.failed;
}

export interface ReportRow {
    version: string;
    /** Percent; null for a version the expected split does not name. */
    expected: number | null;
    /** The tolerance band, percent. */
    band: [number, number];
    /** Percent of the responses that named a version. */
    observed: number;
    /** Shares the tests cannot yet rule out, percent. */
    interval: [number, number];
    responses: number;
    status: "within" | "outside" | "open";
}

export interface VerifyReport {
    verdict: VerdictKind;
    exitCode: number;
    /** For a mismatch: the version (or "(unknown versions)") whose share was shown outside its band. */
    decidedBy: string | null;
    /** One sentence: the verdict and why. */
    summary: string;
    url: string;
    expectedFrom: string;
    tolerancePp: number;
    confidence: number;
    maxRequests: number;
    concurrency: number;
    requests: {
        sent: number;
        /** Judged: in sent order, up to the verdict. */
        counted: number;
        /** Completed or aborted after the verdict: not counted. */
        discarded: number;
        /** Counted responses that named a version. */
        versionResponses: number;
    };
    rows: ReportRow[];
    errors: {
        total: number;
        /** Percent of counted requests. */
        share: number;
        /** --max-error-rate, percent. */
        limit: number;
        /** Shown below the limit (a MATCH needs this), above it (too many errors), or neither yet. */
        status: ErrorStatus;
        byKind: Record<ErrorKind, number>;
        details: Array<{ detail: string; count: number }>;
    };
    /** Inconclusive runs only: about how many more requests would likely decide (null: no estimate). */
    moreRequests: number | null;
    seconds: number;
    requestsPerSecond: number;
    method: string;
}

export interface ReportInput {
    decision: SplitDecision;
    url: string;
    expectedFrom: string;
    /** Where the expected split came from, to name it in words: the stack's weights or --expect. */
    expectedKind: "stack" | "expect";
    confidence: number;
    maxRequests: number;
    concurrency: number;
    maxErrorRate: number;
    sent: number;
    discarded: number;
    seconds: number;
}

export const METHOD = "anytime-valid likelihood-ratio mixture tests: match = two one-sided tests per version and " +
    "'error rate below the limit', each at 1 - confidence (intersection-union); mismatch = any one-sided test at " +
    "(1 - confidence) / tests (Bonferroni); too many errors = 'error rate above the limit' at 1 - confidence";

const pct = (share: number) => round(share * 100, 4);
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export function buildReport(input: ReportInput): VerifyReport {
    const { decision } = input;
    const n = decision.observations;
    const verdict: VerdictKind = decision.verdict?.kind ?? (n === 0 && decision.attempts > 0 ? "errors" : "inconclusive");
    const rows = reportRows(decision);
    const byKind = Object.fromEntries(ERROR_KINDS.map((k) => [k, decision.errorCounts.get(k) ?? 0])) as Record<ErrorKind, number>;
    const details = [...decision.errorDetails].map(([detail, count]) => ({ detail, count })).sort((a, b) => b.count - a.count);
    const more = verdict === "inconclusive" ? decision.estimateMoreAttempts() : Infinity;
    const report: VerifyReport = {
        verdict,
        exitCode: verdictExitStatus(verdict, n),
        decidedBy: decision.verdict?.kind === "mismatch" ? decision.verdict.version : null,
        summary: "",
        url: input.url,
        expectedFrom: input.expectedFrom,
        tolerancePp: pct(decision.design.tolerance),
        confidence: input.confidence,
        maxRequests: input.maxRequests,
        concurrency: input.concurrency,
        requests: { sent: input.sent, counted: decision.attempts, discarded: input.discarded, versionResponses: n },
        rows,
        errors: {
            total: decision.errors,
            share: decision.attempts === 0 ? 0 : pct(decision.errors / decision.attempts),
            limit: pct(input.maxErrorRate),
            status: decision.errorStatus(),
            byKind,
            details,
        },
        moreRequests: Number.isFinite(more) ? more : null,
        seconds: round(input.seconds, 3),
        requestsPerSecond: input.seconds > 0 ? Math.round(input.sent / input.seconds) : 0,
        method: METHOD,
    };
    report.summary = summarize(report, input.expectedKind);
    return report;
}

function reportRows(decision: SplitDecision): ReportRow[] {
    const { design } = decision;
    const n = decision.observations;
    const row = (version: string, category: CategoryTests, x: number, known: boolean): ReportRow => {
        const interval = shareInterval(design, category, x, n);
        const band: [number, number] = [Math.max(0, category.share - design.tolerance), Math.min(1, category.share + design.tolerance)];
        // The same edges the tests use (share - d may be negative: then nothing is needed on that side).
        const status = interval.low >= category.share - design.tolerance && interval.high <= category.share + design.tolerance ? "within"
            : interval.high < band[0] || interval.low > band[1] ? "outside" : "open";
        return {
            version,
            expected: known ? pct(category.share) : null,
            band: [pct(band[0]), pct(band[1])],
            observed: n === 0 ? 0 : pct(x / n),
            interval: [pct(interval.low), pct(interval.high)],
            responses: x,
            status,
        };
    };
    const known = design.categories.filter((c) => c.version !== UNKNOWN);
    const rows = known.map((c) => row(c.version, c, decision.countOf(c), true));
    const unknownCategory = decision.category(UNKNOWN);
    const unknown = [...decision.versionCounts].filter(([v]) => decision.category(v) === unknownCategory).sort((a, b) => b[1] - a[1]);
    rows.push(...unknown.map(([v, x]) => row(v, unknownCategory, x, false)));
    if (unknown.length > 1) {
        rows.push(row(UNKNOWN, unknownCategory, decision.countOf(unknownCategory), false));
    }
    return rows;
}

function summarize(r: VerifyReport, expectedKind: ReportInput["expectedKind"]): string {
    const conf = `${round(r.confidence * 100, 2)}% confidence`;
    const counted = `${r.requests.versionResponses} responses, ${r.requests.counted} requests`;
    const band = (row: ReportRow) => `${row.band[0]}–${row.band[1]}%`;
    switch (r.verdict) {
        case "match":
            return `MATCH: every version's share is within ${r.tolerancePp} pp of its weight and fewer than ${r.errors.limit}% of requests fail, at ${conf} (${counted}).`;
        case "mismatch": {
            const unknown = r.rows.filter((x) => x.expected === null && x.version !== UNKNOWN);
            const row = r.rows.find((x) => x.version === r.decidedBy)
                ?? (r.decidedBy === UNKNOWN ? unknown[0] : undefined);
            if (row === undefined) {
                return `MISMATCH: a share lies outside its tolerance band, at ${conf} (${counted}).`;
            }
            const who = r.decidedBy === UNKNOWN
                ? `versions ${expectedKind === "stack" ? "the stack does not know" : "--expect does not name"} (${unknown.map((x) => x.version).join(", ")})`
                : row.version;
            const share = r.decidedBy === UNKNOWN ? unknown.reduce((s, x) => s + x.observed, 0) : row.observed;
            return `MISMATCH: ${who} get${r.decidedBy === UNKNOWN ? "" : "s"} ${share.toFixed(1)}% of responses, outside ${band(row)}, at ${conf} (${counted}).`;
        }
        case "errors": {
            const top = r.errors.details.slice(0, 3).map((d) => `${d.detail} ×${d.count}`).join(", ");
            if (r.requests.versionResponses === 0 && r.errors.details.length > 0 && r.errors.details.every((d) => d.detail === PLAIN_HTTP_ANSWER)) {
                const url = new URL(r.url);
                return `${url.origin}/ ${PLAIN_HTTP_ANSWER}${url.host}${url.pathname}${url.search} (every one of ${r.requests.counted} attempts).`;
            }
            if (r.requests.versionResponses === 0 && r.errors.byKind.connection === r.errors.total) {
                return `cannot reach ${r.url}: ${top} (every one of ${r.requests.counted} attempts failed to connect).`;
            }
            if (r.requests.versionResponses === 0 && r.errors.byKind.timeout === r.errors.total) {
                return `no answer from ${r.url} within the timeout in ${r.requests.counted} attempts; ` +
                    "check that the URL is the ingress's and that the service behind it is up and answering (or raise --timeout).";
            }
            if (r.requests.versionResponses === 0) {
                return `no answer from ${r.url} named a version in ${r.requests.counted} attempts (${top}); check ${nothingNamedHint(r)}.`;
            }
            return `TOO MANY ERRORS: ${r.errors.share.toFixed(1)}% of ${r.requests.counted} requests failed, more than ${r.errors.limit}% at ${conf} (${top}).`;
        }
        case "inconclusive": {
            const open = r.rows.filter((x) => x.status === "open").map((x) => `${x.version} ${x.observed.toFixed(1)}% vs ${band(x)}`).join(", ");
            const errorsOpen = r.errors.status === "open";
            const undecided = [
                ...(open !== "" || !errorsOpen ? [`not yet clearly inside or outside the band: ${open || "(none)"}`] : []),
                ...(errorsOpen ? [`errors ${r.errors.share.toFixed(1)}% not yet clearly below or above the ${r.errors.limit}% limit`] : []),
            ];
            const edge = open === "" && errorsOpen ? "the observed error rate sits on its limit"
                : errorsOpen ? "an observed share sits on its tolerance edge or the error rate on its limit"
                : "an observed share sits on its tolerance edge";
            const more = r.moreRequests === null
                ? `${edge}, so more requests may never decide`
                : `about ${r.moreRequests} more requests would likely decide (rerun with --max-requests ${roundUp(r.requests.counted + r.moreRequests)})`;
            return `INCONCLUSIVE after ${r.requests.counted} requests: ${undecided.join("; ")}; ${more}.`;
        }
    }
}

/** What to check when nothing named a version, by what came back instead. */
function nothingNamedHint(r: VerifyReport): string {
    const hints = [];
    if (r.errors.byKind.status > 0 || r.errors.byKind.timeout > 0 || r.errors.byKind.connection > 0) {
        hints.push("that --url (and --host) reach the service and that it is up");
    }
    if (r.errors.byKind.unmatched > 0) {
        hints.push("that --version-pattern matches its answers");
    }
    return hints.join(", and ");
}

function roundUp(n: number): number {
    const step = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
    return Math.ceil(n / step) * step;
}
