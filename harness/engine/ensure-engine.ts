// The directory holding `pulumi` and the Kubernetes provider plugin: the user's own when suitable,
// otherwise the one scripts/pulumi-engine builds from Go modules (its progress goes to stderr).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../scripts/pulumi-engine", import.meta.url));

export function ensureEngine(): string {
    const result = spawnSync("bash", [SCRIPT], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const bin = result.stdout.trim();
    if (result.status !== 0 || bin === "") {
        throw new Error(`scripts/pulumi-engine failed (exit ${result.status}); see its output above`);
    }
    return bin;
}
