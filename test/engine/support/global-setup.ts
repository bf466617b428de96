// Once per engine test run: make sure a Pulumi CLI and the Kubernetes provider plugin are there
// (scripts/pulumi-engine builds them from Go modules when the machine has none), and hand their
// directory to the test files.
import type { TestProject } from "vitest/node";
import { ensureEngine } from "../../../dev/engine/ensure-engine.ts";

declare module "vitest" {
    export interface ProvidedContext {
        /** The directory holding `pulumi` and the plugins, to put first on PATH. */
        engineBin: string;
    }
}

export function setup(project: TestProject): void {
    project.provide("engineBin", ensureEngine());
}
