// Reading the project's Markdown the way the doc tests need it: headings as GitHub anchors them,
// tables, code spans, and the fenced blocks a page marks as runnable examples. A test runs a marked
// block's commands or compares a table with the code; it never matches a page's sentences.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_DIR } from "./dev-stack.ts";

/** README.md and every page of docs/, as paths relative to the project folder. */
export function docFiles(): string[] {
    const pages = readdirSync(path.join(PROJECT_DIR, "docs")).filter((name) => name.endsWith(".md")).sort();
    return ["README.md", ...pages.map((name) => `docs/${name}`)];
}

export function readDoc(file: string): string {
    return readFileSync(path.join(PROJECT_DIR, file), "utf8");
}

/** The text outside fenced code blocks, line by line, with the fences' lines blanked. */
function proseLines(text: string): string[] {
    let fenced = false;
    return text.split("\n").map((line) => {
        if (/^\s*```/.test(line)) {
            fenced = !fenced;
            return "";
        }
        return fenced ? "" : line;
    });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'; repeats get -1, -2. */
export function headingAnchors(text: string): string[] {
    const seen = new Map<string, number>();
    return proseLines(text).flatMap((line) => {
        const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
        if (match === null) {
            return [];
        }
        const slug = (match[1] ?? "").toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
        const count = seen.get(slug) ?? 0;
        seen.set(slug, count + 1);
        return [count === 0 ? slug : `${slug}-${count}`];
    });
}

/** Every inline link's target, outside code: `[text](target)`. */
export function linkTargets(text: string): string[] {
    return proseLines(text).join("\n").replace(/`[^`\n]*`/g, "")
        .match(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)?.map((link) => /\]\(([^)\s]+)/.exec(link)?.[1] ?? "") ?? [];
}

/** The text of each inline code span. */
export function codeSpans(text: string): string[] {
    return [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? "");
}

/** The rows of every table whose first header cell is `header`, each as its cells. */
export function tableRows(text: string, header: string): string[][] {
    const rows: string[][] = [];
    /** undefined outside a table; otherwise whether the table under way is one of those asked for. */
    let wanted: boolean | undefined;
    for (const line of proseLines(text)) {
        if (!line.startsWith("|")) {
            wanted = undefined;
            continue;
        }
        const trimmed = line.trimEnd();
        const cells = trimmed.slice(1, trimmed.endsWith("|") ? -1 : undefined).split(/(?<!\\)\|/).map((cell) => cell.trim());
        if (wanted === undefined) {
            wanted = cells[0] === header;
        } else if (wanted && !cells.every((cell) => /^:?-+:?$/.test(cell))) {
            rows.push(cells);
        }
    }
    return rows;
}

/**
 * The lines of the fenced block that follows `<!-- example: <name> -->` on `file`. A page marks a
 * block so only when a test runs it; it fails here when the page has no such block, or two.
 */
export function exampleBlock(file: string, name: string): string[] {
    const lines = readDoc(file).split("\n");
    const marks = lines.flatMap((line, i) => (line.trim() === `<!-- example: ${name} -->` ? [i] : []));
    if (marks.length !== 1) {
        throw new Error(`${file} has ${marks.length} blocks marked <!-- example: ${name} -->; a test runs exactly one`);
    }
    const open = lines.findIndex((line, i) => i > (marks[0] as number) && line.trim() !== "");
    if (!/^```/.test(lines[open] ?? "")) {
        throw new Error(`${file}: <!-- example: ${name} --> is not followed by a fenced block`);
    }
    const close = lines.findIndex((line, i) => i > open && /^```\s*$/.test(line));
    return lines.slice(open + 1, close);
}

/** A marked block's commands: its non-empty lines, a line ending in a backslash joined to the next, each without a trailing `# comment`. */
export function exampleCommands(file: string, name: string): string[] {
    return exampleBlock(file, name).join("\n").replace(/\\\n\s*/g, "").split("\n")
        .map((line) => line.replace(/\s+#\s.*$/, "").trim()).filter((line) => line !== "");
}
