// The folders' roles, as imports show them: the product (the program, its component and the operator
// commands) carries no development code; dev/ (local clusters, istiod, data plane, sample server,
// try-local, the local engine) is built on the product and never on test support; the tests and the
// benchmarks share their support through harness/, never through each other.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "./support/dev-stack.ts";

const SKIPPED = new Set(["node_modules", ".git", "rendered", ".bench"]);

function typeScriptFiles(dir: string): string[] {
    return readdirSync(path.join(PROJECT_DIR, dir), { withFileTypes: true }).flatMap((entry) => {
        const relative = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return SKIPPED.has(entry.name) ? [] : typeScriptFiles(relative);
        }
        return entry.name.endsWith(".ts") ? [relative] : [];
    });
}

/** The top-level folder of every project file a file imports ("." for the top level itself). */
function importedFolders(file: string): string[] {
    const text = readFileSync(path.join(PROJECT_DIR, file), "utf8");
    const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1] ?? "");
    return specifiers.map((specifier) => {
        const target = path.relative(PROJECT_DIR, path.resolve(PROJECT_DIR, path.dirname(file), specifier));
        return target.includes(path.sep) ? (target.split(path.sep)[0] ?? ".") : ".";
    });
}

function folderOf(file: string): string {
    return file.includes(path.sep) ? (file.split(path.sep)[0] ?? ".") : ".";
}

/** Which folders each folder may import from; the top level ("."), components, manifests, policy and tools are the product. */
const PRODUCT = [".", "components", "manifests", "policy", "tools", "config", "mesh"];
const MAY_IMPORT: Record<string, string[]> = {
    ...Object.fromEntries(PRODUCT.map((folder) => [folder, PRODUCT])),
    dev: [...PRODUCT, "dev"],
    examples: [...PRODUCT, "examples"],
    harness: [...PRODUCT, "dev", "harness"],
    test: [...PRODUCT, "dev", "harness", "test"],
    bench: [...PRODUCT, "dev", "harness", "bench"],
};

describe("project layout", () => {
    const files = typeScriptFiles(".").filter((file) => folderOf(file) in MAY_IMPORT);

    it("finds the files of every folder it judges", () => {
        const folders = new Set(files.map(folderOf));
        for (const folder of [".", "components", "manifests", "policy", "tools", "dev", "harness", "test", "bench"]) {
            expect(folders, folder).toContain(folder);
        }
    });

    it("has no import from the product into dev/, test/, bench/ or harness/, none from dev/ into test support, and none between test/ and bench/", () => {
        const offending = files.flatMap((file) => importedFolders(file)
            .filter((target) => !(MAY_IMPORT[folderOf(file)] ?? []).includes(target))
            .map((target) => `${file} imports from ${target}/`));
        expect(offending).toEqual([]);
    });
});
