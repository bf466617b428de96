import { defineConfig } from "vitest/config";

// `npm run test:istiod`: a real istiod (pilot-discovery) beside two live local clusters, asked over
// xDS what the ingress gateway gets after `pulumi up` of the dev stack (test/istiod). The global setup
// builds nothing that CI has not built before it, and starts and stops the clusters.
export default defineConfig({
    test: {
        include: ["test/istiod/**/*.test.ts"],
        globalSetup: ["test/istiod/support/global-setup.ts"],
        pool: "forks",
        fileParallelism: false,
        testTimeout: 300_000,
        hookTimeout: 300_000,
        reporters: process.env.VITEST_JSON_REPORT
            ? ["default", ["json", { outputFile: process.env.VITEST_JSON_REPORT }]]
            : ["default"],
    },
});
