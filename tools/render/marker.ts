// How a file says that `npm run render` wrote it. Render replaces or removes a file only when it
// starts with this line, so a user's own files in the output folder are never touched; `analyze`
// reads the same line to know that a folder holds one rendered file per cluster.
import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { extname, join } from "node:path";

/** The first line of every file render writes (without its newline). */
export const RENDER_MARKER = "# Rendered by `npm run render` (helloworld-grayscale), which may replace or remove this file. Do not edit.";

/**
 * The first line render wrote before it had a marker (up to the fix of issue #9.1). Still recognised, so
 * that a rendered/ folder from an older checkout is replaced rather than refused.
 */
const LEGACY_HEADER = /^# Cluster [a-z0-9]([-a-z0-9]*[a-z0-9])?: rendered from [^\n]+ by `npm run render`\. Do not edit\.\n/;

/** Enough bytes for either first line (a stack file's name is the only part of free length). */
const HEAD_BYTES = 4096;
const YAML_EXTENSIONS = new Set([".yaml", ".yml"]);

/** Whether the text starts with render's marker line (or the header of an older render). */
export function startsWithRenderMarker(text: string): boolean {
    return text.startsWith(`${RENDER_MARKER}\n`) || LEGACY_HEADER.test(text);
}

/**
 * Whether the file at `path` is a regular file that starts with render's marker line. Reads only the
 * file's first bytes, so it is cheap on large files; an unreadable or missing file is not render's.
 */
export function isRenderedFile(path: string): boolean {
    let fd: number;
    try {
        if (!statSync(path).isFile()) {
            return false;
        }
        fd = openSync(path, "r");
    } catch {
        return false;
    }
    try {
        const head = Buffer.alloc(HEAD_BYTES);
        let filled = 0;
        for (let read = -1; read !== 0 && filled < head.length; filled += read) {
            read = readSync(fd, head, filled, head.length - filled, filled);
        }
        return startsWithRenderMarker(head.subarray(0, filled).toString("utf8"));
    } catch {
        return false;
    } finally {
        closeSync(fd);
    }
}

/**
 * Whether `dir` is a folder render wrote: it directly holds at least one `.yaml`/`.yml` file and
 * every one of them starts with render's marker (one file per cluster, named `<cluster>.yaml`).
 * A folder that mixes rendered files with others, or is not a readable folder, is not.
 */
export function isRenderOutputDirectory(dir: string): boolean {
    let entries: string[];
    try {
        entries = readdirSync(dir);
    } catch {
        return false;
    }
    const yamlFiles = entries.filter((name) => YAML_EXTENSIONS.has(extname(name)));
    return yamlFiles.length > 0 && yamlFiles.every((name) => isRenderedFile(join(dir, name)));
}
