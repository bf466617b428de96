import { defineConfig } from "vitest/config";
import { liveClustersSuite } from "./vitest.shared.ts";

// `npm run test:traffic`: requests through a real Envoy ingress gateway and Envoy sidecars, fed by a
// real istiod, in front of the dev stack applied by `pulumi up` to two live local clusters
// (test/traffic). Needs root: the global setup starts the data plane's network namespaces.
export default defineConfig({ test: liveClustersSuite("traffic") });
