// The stack's configuration, parsed once, before any resource exists. Every problem is reported at
// once with its key path and the fix, so a user edits Pulumi.<stack>.yaml once instead of playing
// whack-a-mole with `pulumi up`.
import { crossFieldProblems } from "./cross-field.ts";
import { CONFIG_NAMESPACE } from "./namespace.ts";
import { normalise } from "./normalise.ts";
import { ConfigError, describeZodIssue, formatPath, unknownKeysMessage, valueAt, type ConfigProblem } from "./problems.ts";
import { rawConfigSchema, type RawConfig } from "./schema.ts";
import type { ReleaseConfig } from "./types.ts";

/**
 * Validates raw stack config (the values of the `helloworld-grayscale:*` keys, already decrypted or
 * replaced) and returns the release config, or throws a ConfigError that lists every problem.
 */
export function parseReleaseConfig(raw: Record<string, unknown>): ReleaseConfig {
    // Each key is parsed on its own so that one bad key does not hide the problems of the others,
    // and the cross-key rules still run on every key that parsed.
    const problems: ConfigProblem[] = [];
    const parsed: Partial<RawConfig> = {};
    const unknownKeys = Object.keys(raw).filter((key) => !(key in rawConfigSchema.shape));
    if (unknownKeys.length > 0) {
        problems.push({ path: CONFIG_NAMESPACE, message: unknownKeysMessage(unknownKeys) });
    }
    for (const [key, schema] of Object.entries(rawConfigSchema.shape)) {
        const result = schema.safeParse(raw[key]);
        if (result.success) {
            (parsed as Record<string, unknown>)[key] = result.data;
        } else {
            problems.push(...result.error.issues.map((issue) => ({
                path: formatPath([key, ...issue.path]),
                message: describeZodIssue(issue, valueAt(raw, [key, ...issue.path])),
            })));
        }
    }
    problems.push(...crossFieldProblems(parsed));
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return normalise(parsed as RawConfig);
}
