// What the vitest configs share: the report CI reads, and the settings of the suites that run
// against live local clusters (test:clusters, test:istiod).
import type { TestUserConfig } from "vitest/config";

/** CI asks for a machine-readable report beside the usual output (VITEST_JSON_REPORT), to print the counts. */
export const reporters: TestUserConfig["reporters"] = process.env.VITEST_JSON_REPORT
    ? ["default", ["json", { outputFile: process.env.VITEST_JSON_REPORT }]]
    : ["default"];

/**
 * The suite in test/<folder>, against live local clusters (scripts/clusters) that its global setup
 * starts once for the run and stops in its teardown. Files run one at a time: they share the two
 * clusters (each file in a namespace of its own), and two cores are busy enough with two API servers.
 */
export function liveClustersSuite(folder: string): TestUserConfig {
    return {
        include: [`test/${folder}/**/*.test.ts`],
        globalSetup: [`test/${folder}/support/global-setup.ts`],
        pool: "forks",
        fileParallelism: false,
        // A first `pulumi up` against the clusters waits for Deployments and Services; a cold build
        // of the cluster binaries takes most of an hour (globalSetup: no timeout applies to it).
        testTimeout: 300_000,
        hookTimeout: 300_000,
        reporters,
    };
}
