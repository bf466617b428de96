// The stack's configuration, parsed once, before any resource exists. Every problem is reported at
// once with its key path and the fix, so a user edits Pulumi.<stack>.yaml once instead of playing
// whack-a-mole with `pulumi up`.
import type { z } from "zod";
import { crossFieldProblems } from "./cross-field.ts";
import { decodeEngineConfig, type EngineConfig } from "./engine-config.ts";
import { CONFIG_NAMESPACE } from "./namespace.ts";
import { normalise } from "./normalise.ts";
import { ConfigError, describeZodIssue, formatPath, unknownKeyProblem, valueAt, type ConfigProblem } from "./problems.ts";
import { knownKeysAt, rawConfigSchema, type RawConfig } from "./schema.ts";
import { misplacedSecrets, plaintextKubeconfigs } from "./secrets.ts";
import type { ReleaseConfig } from "./types.ts";

/**
 * The release config from what the engine hands a program (or what render reads the same way from a
 * stack file), or a ConfigError that lists every problem.
 */
export function parseEngineConfig(engine: EngineConfig): ReleaseConfig {
    const decoded = decodeEngineConfig(engine);
    return parseReleaseConfig(decoded.raw, decoded.secretKeys, decoded.problems);
}

/**
 * Each key of `raw` through its schema on its own, so that one bad key does not hide the problems of
 * the others and the cross-key rules still run on every key that parsed. Problems go to `problems`.
 */
export function parseEachKey(
    shape: Record<string, z.ZodType>,
    raw: Record<string, unknown>,
    problems: ConfigProblem[],
    knownKeys: (path: readonly PropertyKey[]) => string[],
    skipped: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
    const parsed: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(shape)) {
        if (skipped.has(key)) {
            continue;
        }
        const result = schema.safeParse(raw[key]);
        if (result.success) {
            parsed[key] = result.data;
        } else {
            problems.push(...result.error.issues.map((issue) => ({
                path: formatPath([key, ...issue.path]),
                message: describeZodIssue(issue, valueAt(raw, [key, ...issue.path]), knownKeys([key, ...issue.path])),
            })));
        }
    }
    return parsed;
}

/**
 * Validates raw stack config (the values of the `helloworld-grayscale:*` keys, by name) and returns the
 * release config, or throws a ConfigError that lists every problem. `secretKeys` names the keys that
 * hold a secret; `found` carries problems found before (in the keys themselves).
 */
export function parseReleaseConfig(
    raw: Record<string, unknown>,
    secretKeys: ReadonlySet<string> = new Set(),
    found: readonly ConfigProblem[] = [],
): ReleaseConfig {
    const secretsMisplaced = misplacedSecrets(secretKeys);
    const problems: ConfigProblem[] = [...found, ...secretsMisplaced];
    for (const key of Object.keys(raw).filter((k) => !(k in rawConfigSchema.shape))) {
        problems.push(unknownKeyProblem(`${CONFIG_NAMESPACE}:${key}`, key));
    }
    const skipped = new Set(secretsMisplaced.map((p) => p.path));
    const parsed = parseEachKey(rawConfigSchema.shape, raw, problems, (path) => knownKeysAt(path), skipped) as Partial<RawConfig>;
    problems.push(...plaintextKubeconfigs(parsed, secretKeys));
    problems.push(...crossFieldProblems(parsed));
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return normalise(parsed as RawConfig);
}
