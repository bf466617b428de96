// The stack config's public surface: what the program, the tools and the components import.
export { DEFAULT_IMAGES, DEFAULT_RESOURCES } from "./defaults.ts";
export { decodeEngineConfig, type DecodedConfig, type EngineConfig } from "./engine-config.ts";
export { CONFIG_NAMESPACE } from "./namespace.ts";
export { parseEngineConfig, parseReleaseConfig } from "./parse.ts";
export { ConfigError, describeProblem, type ConfigProblem } from "./problems.ts";
export {
    DEFAULT_ROLLOUT, maxPauseProblem, METRICS_OPTIONS, type MetricsOption, type MetricsSource, parseDurationMs, type RolloutSettings, stepsSchema,
} from "./rollout.ts";
export { CONFIG_KEYS } from "./schema.ts";
export type { ClusterConfig, ReleaseConfig, VersionConfig } from "./types.ts";
