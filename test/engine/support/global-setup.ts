// Once per engine test run: make sure a Pulumi CLI and the Kubernetes provider plugin are there
// (scripts/pulumi-engine builds them from Go modules when the machine has none), and hand their
// directory to the test files.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
    export interface ProvidedContext {
        /** The directory holding `pulumi` and the plugins, to put first on PATH. */
        engineBin: string;
    }
}

const SCRIPT = fileURLToPath(new URL("../../../scripts/pulumi-engine", import.meta.url));

export function setup(project: TestProject): void {
    const result = spawnSync("bash", [SCRIPT], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const engineBin = result.stdout.trim();
    if (result.status !== 0 || engineBin === "") {
        throw new Error(`scripts/pulumi-engine failed (exit ${result.status}); see its output above`);
    }
    project.provide("engineBin", engineBin);
}
