// What one request produced, as the decision sees it: a version, or an error of a kind that is counted
// separately (never dropped, never a crash).

export type ErrorKind = "status" | "timeout" | "connection" | "unmatched";

export const ERROR_KINDS: readonly ErrorKind[] = ["status", "timeout", "connection", "unmatched"];

export type Outcome =
    | { kind: "version"; version: string }
    | { kind: "error"; error: ErrorKind; /** e.g. "HTTP 503", "connection refused" */ detail: string };

/** The default --version-pattern, the stack's `app.versionPattern` default (config/version-pattern.ts). */
export { DEFAULT_VERSION_PATTERN } from "../../config/index.ts";

/** Turns a finished HTTP exchange into an outcome; the version is the pattern's first (or `version`) group. */
export function classifyResponse(status: number, body: string, pattern: RegExp): Outcome {
    if (status < 200 || status > 299) {
        return { kind: "error", error: "status", detail: `HTTP ${status}` };
    }
    const match = pattern.exec(body);
    const version = match?.groups?.["version"] ?? match?.[1];
    if (version === undefined || version === "") {
        const snippet = body.trim().slice(0, 60).replace(/\s+/g, " ");
        return { kind: "error", error: "unmatched", detail: snippet === "" ? "(empty body)" : snippet };
    }
    return { kind: "version", version };
}
