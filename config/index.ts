// The stack config's public surface: what the program, the tools and the components import.
export { DEFAULT_RESOURCES } from "./defaults.ts";
export { crossFieldProblems, type RuleInput } from "./cross-field.ts";
export { effectiveGatewayName, effectiveNamespace, effectiveService, effectiveVirtualServiceName, type EffectiveService } from "./effective.ts";
export { decodeEngineConfig, type DecodedConfig, type EngineConfig } from "./engine-config.ts";
export { CONFIG_NAMESPACE } from "./namespace.ts";
export { normaliseSpec, type SpecSource } from "./normalise.ts";
export { DEFAULT_VERSION_PATTERN, versionPatternProblem } from "./version-pattern.ts";
export { parseEachKey, parseEngineConfig, parseReleaseConfig } from "./parse.ts";
export { describeZodIssue, formatPath, valueAt } from "./problems.ts";
export { ConfigError, describeProblem, type ConfigProblem } from "./problems.ts";
export {
    DEFAULT_ROLLOUT, maxPauseProblem, METRICS_OPTIONS, type MetricsOption, type MetricsSource, parseDurationMs, type RolloutSettings, stepsSchema,
} from "./rollout.ts";
export { appSchema, clusterSchema, CONFIG_KEYS, flag, knownKeysAt, rawConfigSchema, type RawConfig, versionSchema } from "./schema.ts";
export type { AppConfig, ClusterConfig, ReleaseCluster, ReleaseConfig, ReleaseSpec, RoutingSpec, VersionConfig, VersionSpec } from "./types.ts";
