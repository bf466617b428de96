// The directory holding upstream Envoy, fetched and checked by scripts/envoy (once; later calls
// compare stamps).
import { runBuildScript } from "../build-script.ts";

export function envoyTools(): string {
    return runBuildScript("envoy");
}
