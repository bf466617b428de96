import { defineConfig } from "vitest/config";
import { reporters } from "./vitest.shared.ts";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // The real engine's tests need the Pulumi CLI: `npm run test:engine` (vitest.engine.config.ts);
        // the Istio suite needs istioctl: `npm run test:istio` (vitest.istio.config.ts); the live
        // clusters' suite needs them: `npm run test:clusters` (vitest.clusters.config.ts); the traffic
        // suite needs them, Envoy and root: `npm run test:traffic` (vitest.traffic.config.ts).
        exclude: ["test/engine/**", "test/istio/**", "test/istiod/**", "test/clusters/**", "test/traffic/**", "**/node_modules/**"],
        // Two cores: one worker per core; Pulumi's mock runtime is process-global, so files run in forks.
        pool: "forks",
        maxWorkers: 2,
        testTimeout: 30_000,
        reporters,
    },
});
