import { defineConfig } from "vitest/config";
import { liveClustersSuite } from "./vitest.shared.ts";

// `npm run test:clusters`: the real engine against live local clusters (scripts/clusters).
export default defineConfig({ test: liveClustersSuite("clusters") });
