import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isRenderedFile, isRenderOutputDirectory, RENDER_MARKER, startsWithRenderMarker } from "../../../tools/render/marker.ts";

let dir: string;
beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "render-marker-"));
});
afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
});

const RENDERED = `${RENDER_MARKER}\n# Cluster east, from Pulumi.dev.yaml.\n---\nkind: Namespace\n`;

describe("startsWithRenderMarker", () => {
    it.each<[string, string, boolean]>([
        ["a rendered file", RENDERED, true],
        ["the marker alone, with its newline", `${RENDER_MARKER}\n`, true],
        ["the marker without its newline", RENDER_MARKER, false],
        ["the marker on the second line", `---\n${RENDER_MARKER}\n`, false],
        ["the marker with more on its line", `${RENDER_MARKER} (edited)\n`, false],
        ["a user's manifest", "kind: ConfigMap\n", false],
        ["an empty file", "", false],
        ["the header of an older render", "# Cluster east: rendered from Pulumi.dev.yaml by `npm run render`. Do not edit.\n---\n", true],
        ["that header, edited", "# Cluster east: rendered from Pulumi.dev.yaml by hand. Do not edit.\n", false],
    ])("%s: %s", (_, text, expected) => {
        expect(startsWithRenderMarker(text)).toBe(expected);
    });
});

describe("isRenderedFile", () => {
    it("agrees with startsWithRenderMarker on the file's text", () => {
        writeFileSync(join(dir, "a.yaml"), RENDERED);
        writeFileSync(join(dir, "b.yaml"), RENDER_MARKER.slice(0, 20));
        writeFileSync(join(dir, "c.yaml"), "kind: ConfigMap\n");
        expect(["a.yaml", "b.yaml", "c.yaml"].map((f) => isRenderedFile(join(dir, f)))).toEqual([true, false, false]);
    });

    it("is false for a folder and for a missing file", () => {
        mkdirSync(join(dir, "sub.yaml"));
        expect(isRenderedFile(join(dir, "sub.yaml"))).toBe(false);
        expect(isRenderedFile(join(dir, "missing.yaml"))).toBe(false);
    });
});

describe("isRenderOutputDirectory", () => {
    it("is true when every YAML file in the folder was rendered", () => {
        writeFileSync(join(dir, "east.yaml"), RENDERED);
        writeFileSync(join(dir, "west.yaml"), RENDERED);
        writeFileSync(join(dir, "README.md"), "not YAML, not judged\n");
        expect(isRenderOutputDirectory(dir)).toBe(true);
    });

    it.each<[string, Record<string, string>]>([
        ["an empty folder", {}],
        ["a folder of a user's manifests", { "app.yaml": "kind: ConfigMap\n" }],
        ["a folder that mixes rendered files with others", { "east.yaml": RENDERED, "extra.yml": "kind: ConfigMap\n" }],
    ])("is false for %s", (_, files) => {
        for (const [name, text] of Object.entries(files)) {
            writeFileSync(join(dir, name), text);
        }
        expect(isRenderOutputDirectory(dir)).toBe(false);
    });

    it("is false for a path that is not a folder", () => {
        writeFileSync(join(dir, "east.yaml"), RENDERED);
        expect(isRenderOutputDirectory(join(dir, "east.yaml"))).toBe(false);
        expect(isRenderOutputDirectory(join(dir, "missing"))).toBe(false);
    });
});
