// The directory holding istioctl, pilot-discovery, pilot-agent (with Envoy's bootstrap template) and
// ingress-xds, built from Go modules by scripts/istio-tools (once; later calls compare stamps; its
// progress goes to stderr).
import { runBuildScript } from "../build-script.ts";

export function istioTools(): string {
    return runBuildScript("istio-tools");
}
