// Sends GET requests over keep-alive connections, `concurrency` at a time, and hands outcomes to the
// decision in the order the requests were SENT, not the order they came back. Routing is decided per
// request when it is sent, so sent-order outcomes are independent draws; completion order is not
// (a slow version's answers arrive late), and deciding on it would bias the early looks.
// undici's dispatch API rather than node:http: the same keep-alive HTTP/1.1, at about half the CPU
// per request, which is what lets a 2-core machine keep up with autocannon.
import { Pool, type Dispatcher } from "undici";
import { connectionErrorInWords } from "./connection-error.ts";
import { InOrder } from "./in-order.ts";
import type { Outcome } from "./outcome.ts";

export interface SamplerOptions {
    url: URL;
    /** Sent as the Host header (an ingress that routes on it); the URL's host otherwise. */
    host?: string;
    /** Sent with every request, e.g. the header or cookie a route to testers matches. */
    headers?: Record<string, string>;
    concurrency: number;
    timeoutMs: number;
    maxRequests: number;
    classify: (status: number, body: string) => Outcome;
}

export interface SamplerResult {
    /** Requests sent. */
    sent: number;
    /** Outcomes handed to `onOutcome`, in sent order. */
    delivered: number;
    /** Outcomes that completed after the decision (or behind it) and were not counted. */
    discarded: number;
}

/** Bodies longer than this are cut: the version is near the start and a huge page must not eat memory. */
const MAX_BODY_BYTES = 64 * 1024;

/** How far (in requests per connection) sending may run ahead of the oldest unanswered request. */
export const WINDOW_PER_CONNECTION = 2;

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * Runs until `onOutcome` returns true (decided) or `maxRequests` outcomes were delivered. Requests in
 * flight at the decision are aborted and, like any completed after it, not counted.
 */
export async function sample(options: SamplerOptions, onOutcome: (outcome: Outcome) => boolean): Promise<SamplerResult> {
    const pool = new Pool(options.url.origin, { connections: options.concurrency, pipelining: 1 });
    const request = {
        path: `${options.url.pathname}${options.url.search}`,
        method: "GET" as const,
        headers: { ...options.headers, ...(options.host === undefined ? {} : { host: options.host }) },
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
    };
    // Sending may run at most `window` requests ahead of the decision: one slow answer must not let the
    // other connections pile up responses that the verdict will then throw away.
    const window = WINDOW_PER_CONNECTION * options.concurrency;
    let wake: Array<() => void> = [];
    let sent = 0;
    const ordered: InOrder<Outcome> = new InOrder<Outcome>((outcome): boolean => {
        const stop: boolean = onOutcome(outcome) || ordered.delivered >= options.maxRequests;
        const waiting = wake;
        wake = [];
        waiting.forEach((resolve) => resolve());
        if (stop) {
            // Aborts what is in flight; those outcomes arrive as errors and are discarded.
            void pool.destroy().catch(() => {});
        }
        return stop;
    });

    const worker = async () => {
        while (!ordered.stopped && sent < options.maxRequests) {
            if (sent >= ordered.delivered + window) {
                await new Promise<void>((resolve) => wake.push(resolve));
                continue;
            }
            const index = sent++;
            ordered.put(index, await requestOnce(pool, request, options.classify));
        }
    };
    try {
        await Promise.all(Array.from({ length: Math.min(options.concurrency, options.maxRequests) }, worker));
    } finally {
        if (!pool.destroyed) {
            await pool.destroy().catch(() => {});
        }
    }
    return { sent, delivered: ordered.delivered, discarded: ordered.discarded };
}

function requestOnce(pool: Pool, request: Dispatcher.DispatchOptions, classify: SamplerOptions["classify"]): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let status = 0;
        try {
            pool.dispatch(request, {
                onRequestStart() {},
                onResponseStart(_controller, statusCode) {
                    status = statusCode;
                },
                onResponseData(_controller, chunk) {
                    if (size < MAX_BODY_BYTES) {
                        chunks.push(chunk);
                        size += chunk.length;
                    }
                },
                onResponseEnd() {
                    resolve(classify(status, Buffer.concat(chunks).toString("utf8")));
                },
                onResponseError(_controller, error) {
                    resolve(failure(error));
                },
            });
        } catch (error) {
            // dispatch throws synchronously once the pool is destroyed (after the verdict).
            resolve(failure(error as Error));
        }
    });
}

function failure(error: Error): Outcome {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (TIMEOUT_CODES.has(code)) {
        return { kind: "error", error: "timeout", detail: "no answer in time" };
    }
    return { kind: "error", error: "connection", detail: connectionErrorInWords(error) };
}
