// The directory holding istioctl, pilot-discovery and ingress-xds, built from Go modules by
// scripts/istio-tools (once; later calls compare stamps; its progress goes to stderr).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../scripts/istio-tools", import.meta.url));

export function istioTools(): string {
    const result = spawnSync("bash", [SCRIPT], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const bin = result.stdout.trim();
    if (result.status !== 0 || bin === "") {
        throw new Error(`scripts/istio-tools failed (exit ${result.status}); see its output above`);
    }
    return bin;
}
