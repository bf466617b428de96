import { defineConfig } from "vitest/config";
import { liveClustersSuite } from "./vitest.shared.ts";

// `npm run test:istiod`: a real istiod (pilot-discovery) beside two live local clusters, asked over
// xDS what the ingress gateway gets after `pulumi up` of the dev stack (test/istiod). The global setup
// builds nothing that CI has not built before it, and starts and stops the clusters.
export default defineConfig({ test: liveClustersSuite("istiod") });
