// How a config problem is reported: the key path, what is wrong, and what to do about it.
import type { z } from "zod";
import { CONFIG_NAMESPACE } from "./namespace.ts";
import { CONFIG_KEYS } from "./schema.ts";
import { closestMatch } from "./suggest.ts";

/** One problem in the stack config: where it is and what to do. */
export interface ConfigProblem {
    path: string;
    message: string;
}

/** "key.path: what is wrong; what to do", as every tool prints a problem. */
export function describeProblem(problem: ConfigProblem): string {
    return `${problem.path}: ${problem.message}`;
}

/** Thrown for invalid stack config (or component args); its message lists every problem, one a line. */
export class ConfigError extends Error {
    readonly problems: ConfigProblem[];
    /** `subject` names what was invalid, e.g. "args of GrayscaleRelease 'checkout'". */
    constructor(problems: ConfigProblem[], subject = `stack config for ${CONFIG_NAMESPACE}`) {
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        super(`Invalid ${subject} (${count}):\n` +
            problems.map((p) => `  - ${describeProblem(p)}`).join("\n"));
        this.name = "ConfigError";
        this.problems = problems;
    }
}

/** `versions.v1.clusters[0]` from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
    return path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("").slice(1);
}

/**
 * A stack-file key this program does not read, written as `written`; `name` is the part after the
 * namespace, matched against the program's keys for the one it most likely meant.
 */
export function unknownKeyProblem(written: string, name: string): ConfigProblem {
    const keys: readonly string[] = CONFIG_KEYS;
    const meant = keys.includes(name) ? name : closestMatch(name, keys);
    return meant === undefined
        ? { path: written, message: `unknown key; remove it or fix its spelling (the keys are ${keys.join(", ")})` }
        : { path: written, message: `unknown key; did you mean ${CONFIG_NAMESPACE}:${meant}?` };
}

/** Keys nobody reads, with the key each one most likely meant. */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
    const meant = keys.length === 1 ? closestMatch(keys[0] as string, known) : undefined;
    if (meant !== undefined) {
        return `unknown key '${keys[0] as string}'; did you mean ${meant}?`;
    }
    return `unknown key(s) ${keys.map((k) => `'${k}'`).join(", ")}; remove them or fix their spelling (known keys: ${known.join(", ")})`;
}

export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
    return path.reduce<unknown>((value, key) =>
        (typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined), raw);
}

/** A zod issue in words a user can act on (every schema carries its own message). */
export function describeZodIssue(issue: z.core.$ZodIssue, value: unknown, knownKeys: readonly string[]): string {
    if (issue.code === "unrecognized_keys") {
        return unknownKeysMessage(issue.keys, knownKeys);
    }
    if ((issue.code === "invalid_type" || issue.code === "custom") && value === undefined) {
        return `is required and missing; ${issue.message.replace(/^is required: /, "set it to ")}`;
    }
    // A required key that is there but of the wrong shape: say what it must be.
    return `${issue.message.replace(/^is required: /, "must be ")} (got ${JSON.stringify(value)})`;
}
