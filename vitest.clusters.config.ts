import { defineConfig } from "vitest/config";

// `npm run test:clusters`: the real engine against live local clusters (scripts/clusters), started
// once for the run by the global setup and stopped in its teardown. Files run one at a time: they
// share the two clusters (each file in a namespace of its own), and two cores are busy enough with
// two API servers.
export default defineConfig({
    test: {
        include: ["test/clusters/**/*.test.ts"],
        globalSetup: ["test/clusters/support/global-setup.ts"],
        pool: "forks",
        fileParallelism: false,
        // A first `pulumi up` against the clusters waits for Deployments and Services; a cold build
        // of the cluster binaries takes most of an hour (globalSetup: no timeout applies to it).
        testTimeout: 300_000,
        hookTimeout: 300_000,
        reporters: process.env.VITEST_JSON_REPORT
            ? ["default", ["json", { outputFile: process.env.VITEST_JSON_REPORT }]]
            : ["default"],
    },
});
