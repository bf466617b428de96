// The README and docs/ link to files that exist and to headings that exist, and so do the messages
// and comments of the code when they name a docs page: a renamed page or heading fails here, not in a
// reader's browser.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../support/dev-stack.ts";
import { docFiles, headingAnchors, linkTargets, readDoc } from "../support/docs.ts";

/** Where the code may name a docs page: the product, the development infrastructure, the scripts, CI. */
const CODE = ["index.ts", "program.ts", "components", "config", "manifests", "mesh", "policy", "tools", "dev", "scripts", ".github", ".ci"];

function filesUnder(relative: string): string[] {
    const full = path.join(PROJECT_DIR, relative);
    if (!existsSync(full)) {
        return [];
    }
    if (!statSync(full).isDirectory()) {
        return [relative];
    }
    return readdirSync(full).flatMap((name) => (name === "node_modules" ? [] : filesUnder(path.join(relative, name))));
}

/** Why `target` (a link on `from`, or a path from the project folder when `from` is undefined) is broken, if it is. */
function brokenLink(target: string, from: string | undefined): string | undefined {
    const [file = "", anchor] = target.split("#");
    const resolved = file === "" ? (from ?? "") : path.normalize(path.join(from === undefined ? "" : path.dirname(from), file));
    if (!existsSync(path.join(PROJECT_DIR, resolved))) {
        return `${target}: no file ${resolved}`;
    }
    if (anchor !== undefined && !headingAnchors(readDoc(resolved)).includes(anchor)) {
        return `${target}: ${resolved} has no heading #${anchor}`;
    }
    return undefined;
}

const isRelative = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target);

describe("links in the README and docs/", () => {
    it("finds the README and the pages", () => {
        expect(docFiles()).toEqual(expect.arrayContaining(["README.md", "docs/config.md", "docs/operating.md"]));
    });

    it.each(docFiles())("%s: every relative link names a file that exists, and a heading that exists", (file) => {
        const targets = linkTargets(readDoc(file)).filter(isRelative);
        expect(targets.flatMap((target) => brokenLink(target, file) ?? [])).toEqual([]);
    });

    it("the README links to every page of docs/", () => {
        const linked = new Set(linkTargets(readDoc("README.md")).map((target) => target.split("#")[0]));
        expect(docFiles().filter((file) => file !== "README.md" && !linked.has(file))).toEqual([]);
    });
});

describe("docs paths named in the code", () => {
    const mentions = CODE.flatMap(filesUnder).flatMap((file) =>
        [...readFileSync(path.join(PROJECT_DIR, file), "utf8").matchAll(/\bdocs\/[\w-]+\.md(?:#[\w-]+)?/g)].map((m) => ({ file, target: m[0] })));

    it("finds the messages that name one", () => {
        expect(mentions.map((m) => m.file)).toEqual(expect.arrayContaining(["components/cluster-reachability.ts", "tools/rollout/main.ts"]));
    });

    it("name pages and headings that exist", () => {
        expect(mentions.flatMap(({ file, target }) => {
            const broken = brokenLink(target, undefined);
            return broken === undefined ? [] : [`${file}: ${broken}`];
        })).toEqual([]);
    });
});
