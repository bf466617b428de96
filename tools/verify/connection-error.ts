// A failed connection in words a user can act on: undici and the kernel name failures by codes
// (UND_ERR_SOCKET, ECONNREFUSED) that mean nothing to someone checking an ingress.

/** A TLS client's first bytes answered by a plain-HTTP server: OpenSSL reads its reply as a record of no TLS version. */
export const PLAIN_HTTP_ANSWER = "answered in plain HTTP (TLS handshake failed): use http://";

const IN_WORDS: Readonly<Record<string, string>> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset by the server",
    EPIPE: "connection broken while sending",
    ETIMEDOUT: "connection timed out",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
    EADDRNOTAVAIL: "address not available",
    ENOTFOUND: "host name not found",
    EAI_AGAIN: "host name lookup failed (try again)",
    UND_ERR_SOCKET: "the server closed the connection",
    UND_ERR_CLOSED: "connection closed",
    UND_ERR_DESTROYED: "connection closed",
    UND_ERR_ABORTED: "request aborted",
    UND_ERR_HEADERS_OVERFLOW: "response headers too large",
    UND_ERR_RES_CONTENT_LENGTH_MISMATCH: "response length differs from its Content-Length",
    UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: "request length differs from its Content-Length",
    EPROTO: "TLS handshake failed",
    ERR_SSL_WRONG_VERSION_NUMBER: PLAIN_HTTP_ANSWER,
    ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not name the host",
    DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
    SELF_SIGNED_CERT_IN_CHAIN: "self-signed TLS certificate in the chain",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS certificate not trusted",
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "TLS certificate not trusted",
    CERT_HAS_EXPIRED: "TLS certificate expired",
};

/**
 * The reason a request failed before a response, in words. Undici reports a refused or reset
 * connection as an AggregateError or with the system error as its cause; the innermost code wins.
 */
export function connectionErrorInWords(error: Error): string {
    const candidates: Array<NodeJS.ErrnoException | undefined> = [
        (error as { errors?: NodeJS.ErrnoException[] }).errors?.[0],
        (error as { cause?: NodeJS.ErrnoException }).cause,
        error,
    ];
    for (const candidate of candidates) {
        const code = candidate?.code;
        const words = code === undefined ? undefined : IN_WORDS[code] ?? (code.startsWith("HPE_") ? "invalid HTTP response"
            // OpenSSL's own message is a line of library internals; its reason is the part in words.
            : code.startsWith("ERR_SSL_") ? `TLS handshake failed (${(candidate as { reason?: string }).reason ?? code})` : undefined);
        if (words !== undefined) {
            return words;
        }
    }
    // An unknown code: its message is words (undici's "other side closed"); the code is the last resort.
    const described = candidates.find((c) => (c?.message.trim() ?? "") !== "");
    return described?.message.trim().split("\n")[0] ?? candidates.find((c) => c?.code !== undefined)?.code ?? "connection failed";
}
