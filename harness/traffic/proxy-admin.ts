// Asks a pod's Envoy over its admin API, which listens on the pod's own loopback only: through
// `pilot-agent request` run inside the pod's network namespace, as `kubectl exec ... pilot-agent
// request GET stats` would in a cluster.
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { PodState } from "../../dev/dataplane/dataplane-files.ts";

export function envoyAdmin(dataPlaneDir: string, pod: Pick<PodState, "netns" | "name">, request: string): string {
    const pilotAgent = path.join(dataPlaneDir, "bin", "pilot-agent");
    const result = spawnSync("ip", ["netns", "exec", pod.netns, pilotAgent, "request", "GET", request], { encoding: "utf8" });
    if (result.status !== 0) {
        throw new Error(`${pod.name}: pilot-agent request GET ${request} exited ${result.status}: ${result.stderr.trim()}`);
    }
    return result.stdout;
}

/** Envoy's counters whose names match `filter` (a regex, as the admin API takes it), by name. */
export function envoyCounters(dataPlaneDir: string, pod: Pick<PodState, "netns" | "name">, filter: string): Map<string, number> {
    const text = envoyAdmin(dataPlaneDir, pod, `stats?filter=${encodeURIComponent(filter)}`);
    return new Map(text.split("\n").filter((line) => line.includes(": ")).flatMap((line): [string, number][] => {
        const [name, value] = line.split(": ");
        const number = Number(value);
        return name === undefined || !Number.isFinite(number) ? [] : [[name, number]];
    }));
}

/**
 * Every xDS update the proxy refused (cds, lds, rds, eds, sds ...`update_rejected`): after a rejection
 * Envoy keeps serving its last good config, so a proxy that answers proves nothing without this.
 */
export function rejectedUpdates(dataPlaneDir: string, pod: Pick<PodState, "netns" | "name">): Map<string, number> {
    return new Map([...envoyCounters(dataPlaneDir, pod, "update_rejected$")].filter(([, count]) => count > 0));
}
