// Which data plane owns this machine's pod network. There is one pod network per machine (the
// clusters' pod CIDRs are fixed), so one data plane at a time: its controller records itself here
// once it has made the bridge, and removes the record when it has removed the bridge. A sweep of
// what a crashed data plane left must not take another's live network, so it asks here first.
import { readFileSync, rmSync, writeFileSync } from "node:fs";

/** Under /run: a tmpfs that, like the network namespaces, does not outlive a reboot. */
const OWNER_FILE = "/run/hwg-dataplane.json";

export interface Owner {
    pid: number;
    /** The owner's folder (for `scripts/dataplane stop --dir`). */
    dir: string;
}

export function recordOwner(owner: Owner): void {
    writeFileSync(OWNER_FILE, `${JSON.stringify(owner)}\n`);
}

export function releaseOwner(): void {
    rmSync(OWNER_FILE, { force: true });
}

/** The recorded owner while its controller still runs; undefined when there is none or it is gone. */
export function liveOwner(): Owner | undefined {
    let owner: Owner;
    try {
        owner = JSON.parse(readFileSync(OWNER_FILE, "utf8")) as Owner;
    } catch {
        return undefined;
    }
    try {
        const command = readFileSync(`/proc/${owner.pid}/cmdline`, "utf8");
        return command.includes("controller.ts") && command.includes(owner.dir) ? owner : undefined;
    } catch {
        return undefined;
    }
}
