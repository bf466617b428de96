// What verifySplit is asked, as one options struct: the CLI fills it from flags, the rollout from its
// step's weights and its own flags. Every default lives here, applied in one place (settle).
import type { ExpectedShare } from "./design.ts";
import { DEFAULT_VERSION_PATTERN } from "./outcome.ts";
import type { ProgressStream } from "./progress.ts";

/** Where the expected split comes from, as the report names it: a stack's weights, or weights given directly. */
export type ExpectationSource = { kind: "stack"; stack: string } | { kind: "expect"; text: string };

export interface VerifyOptions {
    /** The sample's /hello behind the ingress, http or https. */
    url: URL;
    /** Host header to send, for an ingress that routes by host. Defaults to the URL's host. */
    host?: string;
    /** Headers sent with every request (lower-case names), e.g. the one a route to testers matches. */
    headers?: Record<string, string>;
    /** The split to find: each version's share, from 0 to 1, adding up to 1. */
    expected: ExpectedShare[];
    /** Where `expected` comes from, for the report. Defaults to weights given directly, as --expect gives them. */
    expectedFrom?: ExpectationSource;
    /** How far each version's share may be from its weight, as a share. Defaults to 0.05 (5 percentage points). */
    tolerance?: number;
    /** The chance that a MATCH or MISMATCH verdict is right. Defaults to 0.95. */
    confidence?: number;
    /** The most requests to send. Defaults to 20000. */
    maxRequests?: number;
    /** Requests in flight. Defaults to 8. */
    concurrency?: number;
    /** How long one request may take, in milliseconds. Defaults to 10 s. */
    timeoutMs?: number;
    /** Its first group (or its group 'version') is the version an answer names. Defaults to DEFAULT_VERSION_PATTERN. */
    versionPattern?: RegExp;
    /** The share of requests that may fail. Defaults to 0.05. */
    maxErrorRate?: number;
    /** Where a live progress line is drawn, when it is a terminal. Defaults to nowhere. */
    progress?: ProgressStream;
}

export const DEFAULTS = {
    tolerance: 0.05,
    confidence: 0.95,
    maxRequests: 20000,
    concurrency: 8,
    timeoutMs: 10_000,
    versionPattern: DEFAULT_VERSION_PATTERN,
    maxErrorRate: 0.05,
} as const;

/** The options with every default applied. */
export type SettledOptions = Required<Omit<VerifyOptions, "host" | "headers" | "progress">> & Pick<VerifyOptions, "host" | "headers" | "progress">;

export function settle(options: VerifyOptions): SettledOptions {
    return {
        ...options,
        expectedFrom: options.expectedFrom ?? { kind: "expect", text: options.expected.map((s) => `${s.version}=${+(s.share * 100).toFixed(6)}`).join(",") },
        tolerance: options.tolerance ?? DEFAULTS.tolerance,
        confidence: options.confidence ?? DEFAULTS.confidence,
        maxRequests: options.maxRequests ?? DEFAULTS.maxRequests,
        concurrency: options.concurrency ?? DEFAULTS.concurrency,
        timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
        versionPattern: options.versionPattern ?? new RegExp(DEFAULTS.versionPattern),
        maxErrorRate: options.maxErrorRate ?? DEFAULTS.maxErrorRate,
    };
}
