import { defineConfig } from "vitest/config";
import { reporters } from "./vitest.shared.ts";

// The real Pulumi engine (`npm run test:engine`): each file drives the CLI against its own local
// file backend, so files run side by side, one per core.
export default defineConfig({
    test: {
        include: ["test/engine/**/*.test.ts"],
        globalSetup: ["test/engine/support/global-setup.ts"],
        pool: "forks",
        maxWorkers: 2,
        // A `pulumi up` of ten clusters takes seconds; a cold build of the engine takes minutes (globalSetup).
        testTimeout: 180_000,
        hookTimeout: 180_000,
        reporters,
    },
});
