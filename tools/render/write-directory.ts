import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Writes the rendered files and removes any other `.yaml` file in the directory: a cluster that left
 * the stack must not linger in rendered/ and be applied or analysed by mistake. Returns the removed names.
 */
export function writeRenderedDirectory(dir: string, files: ReadonlyMap<string, string>): string[] {
    mkdirSync(dir, { recursive: true });
    const stale = readdirSync(dir).filter((f) => f.endsWith(".yaml") && !files.has(f)).sort();
    for (const name of stale) {
        rmSync(join(dir, name));
    }
    for (const [name, text] of files) {
        writeFileSync(join(dir, name), text);
    }
    return stale;
}
