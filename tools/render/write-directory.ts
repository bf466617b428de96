// Writes render's files into the output folder without ever losing a file render did not write:
// the folder may be the user's own (`--out .`, `--out manifests`), so only files that carry render's
// marker line are replaced or removed, and anything else in the way stops the run before a write.
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isRenderedFile } from "./marker.ts";

/** The output folder cannot be used as asked; the message is one line, and nothing was written. */
export class OutputDirectoryError extends Error {
    override name = "OutputDirectoryError";
}

/**
 * Writes the rendered files into `dir` (created if missing) and removes the other `.yaml` files that
 * render wrote there before: a cluster that left the stack must not linger and be applied or analysed
 * by mistake. Each file is written to a temporary name and renamed into place, so an interrupted run
 * leaves whole files only. Returns the removed names.
 */
export function writeRenderedDirectory(dir: string, files: ReadonlyMap<string, string>): string[] {
    ensureDirectory(dir);
    const entries = readdirSync(dir);
    for (const name of [...files.keys()].sort()) {
        if (entries.includes(name) && !isOwnFile(join(dir, name))) {
            throw new OutputDirectoryError(`${join(dir, name)} exists and was not written by render; ` +
                "nothing was written (move the file away or choose another --out)");
        }
    }
    const stale = entries.filter((name) => name.endsWith(".yaml") && !files.has(name) && isOwnFile(join(dir, name))).sort();
    for (const name of entries.filter(isLeftoverOfKilledRender)) {
        rmSync(join(dir, name), { force: true });
    }
    for (const [name, text] of files) {
        writeAtomically(join(dir, name), text);
    }
    for (const name of stale) {
        rmSync(join(dir, name));
    }
    return stale;
}

/** A regular file (not a link to one) that starts with render's marker. */
function isOwnFile(path: string): boolean {
    try {
        return lstatSync(path).isFile() && isRenderedFile(path);
    } catch {
        return false;
    }
}

/** `.<name>.yaml.render-<pid>.tmp`: a dot name without `.yaml`, which neither render nor analyze takes for a cluster's file. */
const TEMPORARY_NAME = /^\.[^/]+\.yaml\.render-(\d+)\.tmp$/;

/** A temporary file of a render that was killed before its rename: its process is gone. */
function isLeftoverOfKilledRender(name: string): boolean {
    const pid = TEMPORARY_NAME.exec(name)?.[1];
    if (pid === undefined) {
        return false;
    }
    try {
        process.kill(Number(pid), 0);
        return false;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
}

function writeAtomically(path: string, text: string): void {
    const temporary = join(dirname(path), `.${path.slice(dirname(path).length + 1)}.render-${process.pid}.tmp`);
    try {
        writeFileSync(temporary, text, { flag: "wx" });
        renameSync(temporary, path);
    } catch (err) {
        rmSync(temporary, { force: true });
        throw new OutputDirectoryError(`cannot write ${path}: ${reason(err)}`);
    }
}

/**
 * Creates the folder one level at a time. Node's recursive mkdir loops forever where the kernel
 * answers ENOENT for a parent that exists (`/proc/x`), and a file in the way must be named plainly.
 */
function ensureDirectory(dir: string): void {
    const missing: string[] = [];
    for (let path = resolve(dir); ; path = dirname(path)) {
        let isDirectory: boolean;
        try {
            isDirectory = statSync(path).isDirectory();
        } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if ((code === "ENOENT" || code === "ENOTDIR") && dirname(path) !== path) {
                missing.unshift(path);
                continue;
            }
            throw new OutputDirectoryError(`cannot use ${dir} as the output folder: ${reason(err)}`);
        }
        if (!isDirectory) {
            throw new OutputDirectoryError(missing.length === 0
                ? `--out ${dir} is a file, not a folder; give a folder for the rendered files`
                : `cannot create the output folder ${dir}: ${path} is a file, not a folder`);
        }
        break;
    }
    for (const path of missing) {
        try {
            mkdirSync(path);
        } catch (err) {
            throw new OutputDirectoryError(`cannot create the output folder ${dir}: ${reason(err)}`);
        }
    }
}

/** The words of a system error ("permission denied"), without its code and syscall. */
function reason(err: unknown): string {
    const message = (err as Error).message;
    const match = /^[A-Z]+: ([^,]+),/.exec(message);
    return match?.[1] ?? message.split("\n")[0] ?? String(err);
}
