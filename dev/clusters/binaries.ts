// The folder holding etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok and
// kwok's stages, built once by scripts/cluster-binaries (its progress goes to stderr).
import { runBuildScript } from "../build-script.ts";

export function ensureClusterBinaries(): string {
    return runBuildScript("cluster-binaries");
}
