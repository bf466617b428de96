// The folder holding etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok and
// kwok's stages, built once by scripts/cluster-binaries (its progress goes to stderr).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../scripts/cluster-binaries", import.meta.url));

export function ensureClusterBinaries(): string {
    const result = spawnSync("bash", [SCRIPT], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const bin = result.stdout.trim();
    if (result.status !== 0 || bin === "") {
        throw new Error(`scripts/cluster-binaries failed (exit ${result.status}); see its output above`);
    }
    return bin;
}
