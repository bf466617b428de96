// Why a request got no HTTP answer, in words: a timeout as the wait it was, anything else as verify
// words a failed connection.
import { connectionErrorInWords } from "../verify/connection-error.ts";

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

export function noAnswerInWords(err: unknown, timeoutMs: number): string {
    const error = err instanceof Error ? err : new Error(String(err));
    const codes = [error, (error as { cause?: unknown }).cause].map((e) => (e as NodeJS.ErrnoException | undefined)?.code);
    if (codes.some((code) => code !== undefined && TIMEOUT_CODES.has(code))) {
        return `no answer within ${timeoutMs / 1000} s`;
    }
    return connectionErrorInWords(error);
}
