import { defineConfig } from "vitest/config";
import { reporters } from "./vitest.shared.ts";

// `npm run test:istio`: the policy pack held against Istio's own validation, with the istioctl that
// scripts/istio-tools builds from the Istio module (globalSetup; a cold build takes about half an
// hour, so no timeout applies to it). The global setup also records the corpus: see test/istio/support.
export default defineConfig({
    test: {
        include: ["test/istio/**/*.test.ts"],
        globalSetup: ["test/istio/support/global-setup.ts"],
        pool: "forks",
        maxWorkers: 2,
        testTimeout: 120_000,
        hookTimeout: 600_000,
        reporters,
    },
});
