// The two YAML readers of `npm run analyze` must agree: the fast one on every file it takes, the
// precise one on every file at all.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { composedDocuments, quickDocuments, yamlDocuments } from "../../tools/analyze/documents.ts";

const FIXTURES = fileURLToPath(new URL("fixtures/", import.meta.url));
const RENDERED = fileURLToPath(new URL("__snapshots__/dev/", import.meta.url));
const files = [
    ...["bookinfo", "helloworld"].flatMap((d) => readdirSync(join(FIXTURES, d)).map((f) => join(FIXTURES, d, f))),
    join(FIXTURES, "kube-dns.yaml"),
    ...readdirSync(RENDERED).map((f) => join(RENDERED, f)),
];

describe("analyze's YAML readers", () => {
    it.each(files.map((f) => [f.slice(f.indexOf("test/")), f]))("read %s alike", (_name, file) => {
        const text = readFileSync(file, "utf8");
        const quick = quickDocuments(text);
        expect(quick).toBeDefined();
        expect(quick).toEqual([...composedDocuments(text, file)]);
    });

    it.each([
        ["a leading comment and no marker", "# header\napiVersion: v1\nkind: A\n"],
        ["a marker with a comment, blank lines and comments before the content", "# header\n--- # first\n\n# about it\napiVersion: v1\n"],
        ["empty documents between markers", "---\n---\na: 1\n---\n"],
        ["a document before the first marker", "a: 1\n---\nb: 2\n"],
        ["content on the marker line", "--- {a: 1}\n--- |\n  text\n"],
        ["core-schema scalars", "---\nint: 0x1F\noct: 0o17\nfloat: 1.5e3\nbool: True\nempty: ~\ndate: 2024-01-02\nversion: 1.10\nyes: yes\n"],
        ["Windows line ends", "---\r\napiVersion: v1\r\nkind: A\r\n---\r\nkind: B\r\n"],
        ["a block scalar holding dashes", "---\ndata:\n  script: |\n    echo ---\n    --- not a marker when indented\n"],
    ])("read %s alike", (_what, text) => {
        const quick = quickDocuments(text);
        expect(quick).toBeDefined();
        expect(quick).toEqual([...composedDocuments(text, "f.yaml")]);
    });

    it.each([
        ["Helm template braces", "a: {{ .Values.x }}\n"],
        ["an anchor", "a: &x {b: 1}\nc: *x\n"],
        ["a directive", "%YAML 1.2\n---\na: 1\n"],
        ["a document end marker followed by a bare document", "a: 1\n...\nb: 2\n"],
        ["invalid YAML", "a: [1\n"],
        ["a duplicate key", "a: 1\na: 2\n"],
    ])("leave %s to the precise reader", (_what, text) => {
        expect(quickDocuments(text)).toBeUndefined();
    });

    it("take the fast path for a large plain file and the precise one's figures for a file it refuses", () => {
        expect([...yamlDocuments("a: 1\n...\nb: 2\n", "f.yaml")].map((d) => [d.number, d.line, d.value])).toEqual([[1, 1, { a: 1 }], [2, 3, { b: 2 }]]);
    });
});
