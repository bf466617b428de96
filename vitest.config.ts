import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // Two cores: one worker per core; Pulumi's mock runtime is process-global, so files run in forks.
        pool: "forks",
        maxWorkers: 2,
        testTimeout: 30_000,
        // CI asks for a machine-readable report beside the usual output, to print the counts.
        reporters: process.env.VITEST_JSON_REPORT
            ? ["default", ["json", { outputFile: process.env.VITEST_JSON_REPORT }]]
            : ["default"],
    },
});
