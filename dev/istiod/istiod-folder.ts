// An istiod that outlives the process that started it (`scripts/istiod start`, try-local-clusters):
// it runs from a temporary folder of its own, which records how to find and stop it (istiod.json),
// so that `scripts/istiod stop --dir <folder>` can end it by pid later and remove the folder.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LocalClusterInfo } from "../clusters/local-cluster.ts";
import { type IstiodInfo, startIstiod, stopIstiod } from "./istiod.ts";

const STATE_FILE = "istiod.json";

/** Starts istiod for `clusters` in a new folder; on failure nothing is left running or on disk. */
export async function startIstiodInFolder(binDir: string, clusters: LocalClusterInfo[]): Promise<{ dir: string; info: IstiodInfo }> {
    const dir = mkdtempSync(path.join(tmpdir(), "hwg-istiod-"));
    try {
        const info = await startIstiod({ binDir, clusters, dir });
        writeFileSync(path.join(dir, STATE_FILE), `${JSON.stringify(info, null, 2)}\n`);
        return { dir, info };
    } catch (err) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
    }
}

/** What a folder of startIstiodInFolder() records about its istiod. */
export function readIstiodFolder(dir: string): IstiodInfo {
    return JSON.parse(readFileSync(path.join(dir, STATE_FILE), "utf8")) as IstiodInfo;
}

/** Stops the istiod a folder of startIstiodInFolder() records, then removes the folder. */
export async function stopIstiodInFolder(dir: string): Promise<void> {
    await stopIstiod(readIstiodFolder(dir));
    rmSync(dir, { recursive: true, force: true });
}
