import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_VERSION_PATTERN } from "../../config/index.ts";
import { describe, expect, it } from "vitest";
import { ToolError, UsageError } from "../../tools/command/errors.ts";
import { expectedSplit, parseExpect } from "../../tools/verify/expected.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("the expected split", () => {
    it("reads --expect percentages as shares", () => {
        expect(parseExpect("v1=80,v2=20")).toEqual([{ version: "v1", share: 0.8 }, { version: "v2", share: 0.2 }]);
        expect(parseExpect(" a=33.5, b=66.5 ")).toEqual([{ version: "a", share: 0.335 }, { version: "b", share: 0.665 }]);
    });

    it.each([
        ["v1=80,v2=30", "adds up to 110, not 100"],
        ["v1=80", "adds up to 80, not 100"],
        ["v1:80,v2:20", "'v1:80' is not name=percent"],
        ["v1=80,v1=20", "'v1' appears twice"],
        ["v1=-5,v2=105", "'v1=-5' is not name=percent"],
        ["", "'' is not name=percent"],
    ])("rejects --expect %j", (text, message) => {
        expect(() => parseExpect(text)).toThrow(UsageError);
        expect(() => parseExpect(text)).toThrow(message);
    });

    it("reads the dev stack's weights through the project's config code", () => {
        expect(expectedSplit({ kind: "stack", stack: "dev" }, root)).toEqual({
            expected: [{ version: "v1", share: 0.8 }, { version: "v2", share: 0.2 }],
            versionPattern: new RegExp(DEFAULT_VERSION_PATTERN),
        });
    });

    it("leaves retired versions out and keeps deployed versions at weight 0", () => {
        const dir = mkdtempSync(join(tmpdir(), "verify-stack-"));
        writeFileSync(join(dir, "Pulumi.later.yaml"), [
            "config:",
            "  helloworld-grayscale:app: { name: hello, port: 8080 }",
            "  helloworld-grayscale:clusters: { c1: { context: c1, istioConfig: true } }",
            "  helloworld-grayscale:versions: { v1: { retired: true, image: \"example/hello:1\" }, v2: { clusters: [c1], image: \"example/hello:2\" }, v3: { clusters: [c1], image: \"example/hello:3\" } }",
            "  helloworld-grayscale:weights: { v2: 100, v3: 0 }",
        ].join("\n"));
        expect(expectedSplit({ kind: "stack", stack: "later" }, dir).expected).toEqual([{ version: "v2", share: 1 }, { version: "v3", share: 0 }]);
    });

    it("turns an invalid stack into one line naming every problem, a tool error (exit 2)", () => {
        const dir = mkdtempSync(join(tmpdir(), "verify-stack-"));
        writeFileSync(join(dir, "Pulumi.bad.yaml"), [
            "config:",
            "  helloworld-grayscale:app: { name: hello, port: 8080 }",
            "  helloworld-grayscale:clusters: { c1: { context: c1, istioConfig: true } }",
            "  helloworld-grayscale:versions: { v1: { clusters: [c1], image: \"example/hello:1\" }, v2: { clusters: [c1], image: \"example/hello:2\" } }",
            "  helloworld-grayscale:weights: { v1: 80, v2: 10 }",
        ].join("\n"));
        const load = () => expectedSplit({ kind: "stack", stack: "bad" }, dir);
        expect(load).toThrow(ToolError);
        expect(load).toThrow("stack 'bad' has invalid config: weights: v1 + v2 = 90; the weights must add up to exactly 100");
    });
});
