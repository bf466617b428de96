import { describe, expect, it } from "vitest";
import { connectionErrorInWords } from "../../tools/verify/connection-error.ts";

function withCode(code: string, message = ""): NodeJS.ErrnoException {
    return Object.assign(new Error(message), { code });
}

describe("connectionErrorInWords", () => {
    it.each<[string, Error, string]>([
        ["a refused connection inside an AggregateError", new AggregateError([withCode("ECONNREFUSED")], ""), "connection refused"],
        ["a reset as the cause", Object.assign(new Error("fetch failed"), { cause: withCode("ECONNRESET") }), "connection reset by the server"],
        ["undici's socket error", withCode("UND_ERR_SOCKET", "other side closed"), "the server closed the connection"],
        ["a host that does not resolve", withCode("ENOTFOUND", "getaddrinfo ENOTFOUND ingress.example"), "host name not found"],
        ["an HTTP parser error", withCode("HPE_INVALID_CONSTANT", "Expected HTTP/"), "invalid HTTP response"],
        ["a TLS certificate for another host", withCode("ERR_TLS_CERT_ALTNAME_INVALID"), "TLS certificate does not name the host"],
        ["an unknown code with a message", withCode("UND_ERR_SOMETHING_NEW", "something new happened"), "something new happened"],
        ["an unknown code without a message", withCode("EWHATEVER"), "EWHATEVER"],
        ["https to a plain-HTTP port (OpenSSL's two lines of internals)", Object.assign(withCode("ERR_SSL_WRONG_VERSION_NUMBER",
            "40BDEDA9C47F0000:error:0A00010B:SSL routines:tls_validate_record_header:wrong version number:../deps/openssl/openssl/ssl/record/methods/tlsany_meth.c:77:\n"),
        { library: "SSL routines", reason: "wrong version number" }), "answered in plain HTTP (TLS handshake failed): use http://"],
        ["another TLS failure, by OpenSSL's reason", Object.assign(withCode("ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE", "0A000410:SSL routines:...:\n"),
            { reason: "sslv3 alert handshake failure" }), "TLS handshake failed (sslv3 alert handshake failure)"],
        ["an unknown code with a message over two lines", withCode("UND_ERR_ODD", "first line\nsecond line\n"), "first line"],
    ])("%s: %s", (_, error, words) => {
        expect(connectionErrorInWords(error)).toBe(words);
    });
});
