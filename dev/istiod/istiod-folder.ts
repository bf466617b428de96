// The mesh's istiods (primaries.ts) outliving the process that started them (`scripts/istiod start`,
// try-local-clusters, the traffic tests): they run from a temporary folder of their own, which
// records how to find and stop them (istiod.json), so that `scripts/istiod stop --dir <folder>` can
// end them by pid later and remove the folder.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LocalClusterInfo } from "../clusters/local-cluster.ts";
import type { IstiodInfo } from "./istiod.ts";
import { startPrimaries, stopPrimaries } from "./primaries.ts";

const STATE_FILE = "istiod.json";

/** What istiod.json holds. */
interface IstiodFolderState {
    /** One per primary, in the order of the clusters: the first is mdemo-cluster1's. */
    istiods: IstiodInfo[];
}

/** Starts an istiod for every cluster in a new folder; on failure nothing is left running or on disk. */
export async function startIstiodInFolder(binDir: string, clusters: LocalClusterInfo[]): Promise<{ dir: string; istiods: IstiodInfo[] }> {
    const dir = mkdtempSync(path.join(tmpdir(), "hwg-istiod-"));
    try {
        const istiods = await startPrimaries({ binDir, clusters, dir });
        const state: IstiodFolderState = { istiods };
        writeFileSync(path.join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
        return { dir, istiods };
    } catch (err) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
    }
}

/** The istiods a folder of startIstiodInFolder() records. */
export function readIstiodFolder(dir: string): IstiodInfo[] {
    return (JSON.parse(readFileSync(path.join(dir, STATE_FILE), "utf8")) as IstiodFolderState).istiods;
}

/** Stops the istiods a folder of startIstiodInFolder() records, then removes the folder. */
export async function stopIstiodInFolder(dir: string): Promise<void> {
    await stopPrimaries(readIstiodFolder(dir));
    rmSync(dir, { recursive: true, force: true });
}
