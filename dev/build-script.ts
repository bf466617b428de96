// Runs one of the scripts that provide the external binaries (built from Go modules once; later runs
// only compare stamps) and returns the folder the script prints. Its progress goes straight to
// stderr: a cold build takes minutes to most of an hour, and the caller should see why it waits.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export type BuildScript = "pulumi-engine" | "cluster-binaries" | "istio-tools" | "envoy";

export function runBuildScript(name: BuildScript): string {
    const script = fileURLToPath(new URL(`../scripts/${name}`, import.meta.url));
    const result = spawnSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const bin = result.stdout.trim();
    if (result.status !== 0 || bin === "") {
        throw new Error(`scripts/${name} failed (exit ${result.status}); see its output above`);
    }
    return bin;
}
