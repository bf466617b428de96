// The directory holding `pulumi` and the Kubernetes provider plugin: the user's own when suitable,
// otherwise the one scripts/pulumi-engine builds from Go modules (its progress goes to stderr).
import { runBuildScript } from "../build-script.ts";

export function ensureEngine(): string {
    return runBuildScript("pulumi-engine");
}
