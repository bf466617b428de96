// Render's reader of stack files: what is not a stack file, and keys the Pulumi CLI would refuse,
// are one line that says so (the program never sees such a file: the CLI stops first).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readStackConfig, StackFileError } from "../../tools/stack-file.ts";

const dir = mkdtempSync(join(tmpdir(), "stack-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readError(name: string, content: string | Buffer): string {
    const file = join(dir, name);
    writeFileSync(file, content);
    try {
        readStackConfig({ configFile: file });
    } catch (err) {
        expect(err).toBeInstanceOf(StackFileError);
        return (err as Error).message.replace(`${dir}/`, "");
    }
    throw new Error("expected the stack file to be refused");
}

describe("readStackConfig refuses what is not a stack file", () => {
    it.each<[string, string | Buffer, string]>([
        ["empty.yaml", "", "empty.yaml is not a stack file: it is empty; a stack file is a YAML map with a config: section"],
        ["comments.yaml", "# nothing here\n", "comments.yaml is not a stack file: it is empty; a stack file is a YAML map with a config: section"],
        ["list.yaml", "- config: {}\n", "list.yaml is not a stack file: its top level is a list; a stack file is a YAML map with a config: section"],
        ["scalar.yaml", "hello\n", "scalar.yaml is not a stack file: its top level is a single string; a stack file is a YAML map with a config: section"],
        ["binary.yaml", Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00]), "binary.yaml is not a stack file: it is binary, not UTF-8 text; a stack file is a YAML map with a config: section"],
        ["nul.yaml", "config:\u0000\n", "nul.yaml is not a stack file: it is binary (it holds NUL bytes); a stack file is a YAML map with a config: section"],
        ["config-list.yaml", "config:\n  - a\n", "config-list.yaml: 'config' must be a map of keys to values"],
    ])("%s", (name, content, message) => {
        expect(readError(name, content)).toBe(message);
    });

    it("shows the line of a YAML syntax error, not a dangling colon", () => {
        expect(readError("syntax.yaml", "config:\n  helloworld-grayscale:namespace: gray: demo\n")).toBe(
            "syntax.yaml:2:35: not valid YAML: Nested mappings are not allowed in compact mappings " +
            "(line 2: helloworld-grayscale:namespace: gray: demo)");
    });

    it("refuses a key with two colons that is not the legacy form, as the Pulumi CLI does", () => {
        expect(readError("colons.yaml", "config:\n  helloworld-grayscale:weights:v1: 80\n")).toBe(
            "colons.yaml: 'helloworld-grayscale:weights:v1' is not a config key Pulumi can read; write <namespace>:<name>, " +
            "e.g. helloworld-grayscale:weights (the project's namespace may be left out)");
    });

    it("refuses a key set twice through its legacy spelling", () => {
        expect(readError("twice.yaml", "config:\n  helloworld-grayscale:weights: {}\n  helloworld-grayscale:config:weights: {}\n")).toBe(
            "twice.yaml sets helloworld-grayscale:weights twice (as 'helloworld-grayscale:weights' and 'helloworld-grayscale:config:weights'); keep one");
    });
});

describe("readStackConfig reads values as the engine hands them over", () => {
    it("gives top-level scalars as text and structured values as JSON with sorted keys, secrets as a placeholder", () => {
        const file = join(dir, "values.yaml");
        writeFileSync(file, [
            "config:",
            "  namespace: 1234",
            "  helloworld-grayscale:protectNamespace: false",
            "  helloworld-grayscale:weights: { v2: 20, v1: 80 }",
            "  helloworld-grayscale:clusters:",
            "    c1: { kubeconfig: { secure: AAAB } }",
            "  kubernetes:context: elsewhere",
            "",
        ].join("\n"));
        expect(readStackConfig({ configFile: file })).toEqual({
            values: {
                "helloworld-grayscale:namespace": "1234",
                "helloworld-grayscale:protectNamespace": "false",
                "helloworld-grayscale:weights": '{"v1":80,"v2":20}',
                "helloworld-grayscale:clusters": '{"c1":{"kubeconfig":"[secret]"}}',
                "kubernetes:context": "elsewhere",
            },
            secretKeys: ["helloworld-grayscale:clusters"],
        });
    });
});
