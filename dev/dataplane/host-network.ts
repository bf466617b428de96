// The local data plane's network: one Linux bridge on the host holding POD_NETWORK_HOST_ADDRESS, and
// per pod a network namespace joined to it by a veth pair, its end inside named eth0 and holding the
// pod IP the API server shows. Every pod of every cluster is on that one /16, so pods reach each
// other (and the host reaches them) without routing, as on one flat network. Every name starts with
// NAME_PREFIX, which is how `scripts/dataplane stop` finds what is left after a crash, and how a test
// checks that nothing is.
import { spawnSync } from "node:child_process";
import { POD_NETWORK, POD_NETWORK_HOST_ADDRESS } from "../clusters/local-cluster.ts";

export const NAME_PREFIX = "hwg";
/** The bridge (at most 15 characters, the kernel's limit for an interface name). */
export const BRIDGE = `${NAME_PREFIX}-pods`;
const PREFIX_LENGTH = POD_NETWORK.split("/")[1] ?? "16";

/** Runs a command to the end; throws its stderr when it fails. */
export function run(command: string, args: string[]): string {
    const result = spawnSync(command, args, { encoding: "utf8" });
    if (result.error !== undefined) {
        throw new Error(`${command} ${args.join(" ")}: ${result.error.message}`);
    }
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr.trim()}`);
    }
    return result.stdout;
}

/** Like run(), but a failure is only returned (for removals, where "already gone" is fine). */
function tryRun(command: string, args: string[]): boolean {
    return spawnSync(command, args, { encoding: "utf8" }).status === 0;
}

/** A pod's namespace and host-side veth names, from its IP (unique on the pod network at any time). */
export function podNetworkNames(podIP: string): { netns: string; hostVeth: string } {
    const octets = podIP.split(".");
    if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o))) {
        throw new Error(`'${podIP}' is not an IPv4 address`);
    }
    const [, , third, fourth] = octets;
    return { netns: `${NAME_PREFIX}-${octets.join("-")}`, hostVeth: `${NAME_PREFIX}v-${third}-${fourth}` };
}

/** Makes the bridge; `owner` names who holds it when it exists already (owner.ts). */
export function createBridge(owner: string | undefined): void {
    if (tryRun("ip", ["link", "show", BRIDGE])) {
        throw new Error(`the bridge ${BRIDGE} exists already: ${owner === undefined
            ? "a data plane that crashed left it (scripts/dataplane stop --dir <its folder>, or any folder, sweeps it up)"
            : `the data plane of ${owner} runs on this machine (scripts/dataplane stop --dir ${owner} ends it)`}`);
    }
    run("ip", ["link", "add", BRIDGE, "type", "bridge"]);
    try {
        run("ip", ["addr", "add", `${POD_NETWORK_HOST_ADDRESS}/${PREFIX_LENGTH}`, "dev", BRIDGE]);
        run("ip", ["link", "set", BRIDGE, "up"]);
    } catch (err) {
        removeBridge();
        throw err;
    }
}

/** Removes the bridge and its address; false when there was none. */
export function removeBridge(): boolean {
    return tryRun("ip", ["link", "del", BRIDGE]);
}

/** A network namespace for the pod, joined to the bridge, with the pod IP on eth0 and lo up. */
export function createPodNetwork(podIP: string): string {
    const { netns, hostVeth } = podNetworkNames(podIP);
    run("ip", ["netns", "add", netns]);
    try {
        run("ip", ["link", "add", hostVeth, "type", "veth", "peer", "name", "eth0", "netns", netns]);
        run("ip", ["link", "set", hostVeth, "master", BRIDGE]);
        run("ip", ["link", "set", hostVeth, "up"]);
        const inPod = (...args: string[]) => run("ip", ["-n", netns, ...args]);
        inPod("link", "set", "lo", "up");
        inPod("addr", "add", `${podIP}/${PREFIX_LENGTH}`, "dev", "eth0");
        inPod("link", "set", "eth0", "up");
        inPod("route", "add", "default", "via", POD_NETWORK_HOST_ADDRESS);
        return netns;
    } catch (err) {
        removePodNetwork(podIP);
        throw err;
    }
}

/**
 * Removes the pod's namespace: its veth pair and the iptables rules inside go with it. Processes
 * still in it would keep it alive as an unnamed namespace, so the caller ends them first
 * (netnsPids).
 */
export function removePodNetwork(podIP: string): void {
    const { netns, hostVeth } = podNetworkNames(podIP);
    tryRun("ip", ["netns", "del", netns]);
    tryRun("ip", ["link", "del", hostVeth]);
}

/** The pids of every process in a namespace (`ip netns pids`); none when it does not exist. */
export function netnsPids(netns: string): number[] {
    const result = spawnSync("ip", ["netns", "pids", netns], { encoding: "utf8" });
    return result.status === 0 ? result.stdout.split(/\s+/).filter((p) => p !== "").map(Number) : [];
}

/** What of the data plane's network exists on the host now, by name. */
export interface LeftOnHost {
    netns: string[];
    links: string[];
    addresses: string[];
}

export function leftOnHost(): LeftOnHost {
    const ours = (name: string) => name.startsWith(NAME_PREFIX);
    const netns = run("ip", ["netns", "list"]).split("\n").map((line) => line.split(" ")[0] ?? "").filter(ours);
    const links = run("ip", ["-o", "link", "show"]).split("\n")
        .map((line) => line.split(": ")[1]?.split("@")[0] ?? "").filter(ours);
    const addresses = run("ip", ["-o", "-4", "addr", "show"]).split("\n")
        .filter((line) => line.includes(` ${POD_NETWORK_HOST_ADDRESS}/`)).map((line) => line.trim());
    return { netns, links, addresses };
}

/** Removes every namespace and link of the data plane's naming left on the host (after a crash). */
export function sweepHost(kill: (pids: number[]) => void): LeftOnHost {
    const before = leftOnHost();
    for (const netns of before.netns) {
        kill(netnsPids(netns));
        tryRun("ip", ["netns", "del", netns]);
    }
    for (const link of leftOnHost().links) {
        tryRun("ip", ["link", "del", link]);
    }
    return before;
}
