import { describe, expect, it } from "vitest";
import { classifyResponse, DEFAULT_VERSION_PATTERN } from "../../tools/verify/outcome.ts";

const sample = new RegExp(DEFAULT_VERSION_PATTERN);

describe("classifying a response", () => {
    it.each([
        [200, "Hello version: v1, instance: helloworld-v1-abc\n", { kind: "version", version: "v1" }],
        [200, "Hello version: v2-canary, instance: helloworld-v2-canary-7d9\n", { kind: "version", version: "v2-canary" }],
        // The default is no one service's answer: JSON and key=value name their version the same way.
        [200, '{"service":"checkout","version":"1.5.0"}', { kind: "version", version: "1.5.0" }],
        [200, '{ "version" : "canary" }', { kind: "version", version: "canary" }],
        [200, "build=42 version=stable\n", { kind: "version", version: "stable" }],
        [503, "Hello version: v1, instance: x", { kind: "error", error: "status", detail: "HTTP 503" }],
        [302, "", { kind: "error", error: "status", detail: "HTTP 302" }],
        [200, "<h1>Welcome to nginx!</h1>", { kind: "error", error: "unmatched", detail: "<h1>Welcome to nginx!</h1>" }],
        [200, "", { kind: "error", error: "unmatched", detail: "(empty body)" }],
    ])("HTTP %i %j", (status, body, outcome) => {
        expect(classifyResponse(status, body, sample)).toEqual(outcome);
    });

    it("takes the 'version' group of a custom pattern when there is one", () => {
        expect(classifyResponse(200, '{"build":"7","version":"v3"}', /"build":"(\d+)","version":"(?<version>\w+)"/))
            .toEqual({ kind: "version", version: "v3" });
    });
});
