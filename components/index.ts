// The package's entry point (package.json "exports"): the component, its args and what it reports.
export { GRAYSCALE_RELEASE_TYPE, GrayscaleRelease, type GrayscaleReleaseArgs, type ReleaseClusterArgs, type ReleaseVersionArgs } from "./grayscale-release.ts";
export { ConfigError, type ConfigProblem } from "../config/index.ts";
