// The grayscale release of helloworld across the mesh's clusters. Everything it does is decided by
// stack config: see README.md ("Config reference") and config/.
import * as pulumi from "@pulumi/pulumi";
import { GrayscaleRelease } from "./components/grayscale-release.ts";
import { CONFIG_NAMESPACE, ConfigError, parseReleaseConfig, rawConfigFromStrings, type ReleaseConfig } from "./config/index.ts";

function readReleaseConfig(): ReleaseConfig {
    try {
        return parseReleaseConfig(rawConfigFromStrings((key) => pulumi.runtime.getConfig(`${CONFIG_NAMESPACE}:${key}`)));
    } catch (err) {
        // A RunError prints its message without a stack trace: the message is the whole story.
        throw err instanceof ConfigError ? new pulumi.RunError(err.message) : err;
    }
}

const release = new GrayscaleRelease("helloworld", { config: readReleaseConfig() });

/** Per cluster, "Kind/name" of every object placed there. */
export const placement = release.placement;
/** The split the VirtualService applies (versions without traffic are left out). */
export const split = release.split;
/** Check the split at http://<ingress gateway address><checkPath>, e.g. with `npm run verify`. */
export const checkPath = release.checkPath;
