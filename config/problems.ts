// How a config problem is reported: the key path, what is wrong, and what to do about it.
import type { z } from "zod";
import { CONFIG_NAMESPACE } from "./namespace.ts";

/** One problem in the stack config: where it is and what to do. */
export interface ConfigProblem {
    path: string;
    message: string;
}

/** "key.path: what is wrong; what to do", as every tool prints a problem. */
export function describeProblem(problem: ConfigProblem): string {
    return `${problem.path}: ${problem.message}`;
}

/** Thrown for invalid stack config; its message lists every problem, one a line. */
export class ConfigError extends Error {
    readonly problems: ConfigProblem[];
    constructor(problems: ConfigProblem[]) {
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        super(`Invalid stack config for ${CONFIG_NAMESPACE} (${count}):\n` +
            problems.map((p) => `  - ${describeProblem(p)}`).join("\n"));
        this.name = "ConfigError";
        this.problems = problems;
    }
}

/** `versions.v1.clusters[0]` from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
    return path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("").slice(1);
}

export function unknownKeysMessage(keys: readonly string[]): string {
    return `unknown key(s) ${keys.map((k) => `'${k}'`).join(", ")}; remove them or fix their spelling`;
}

export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
    return path.reduce<unknown>((value, key) =>
        (typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined), raw);
}

/** A zod issue in words a user can act on. */
export function describeZodIssue(issue: z.core.$ZodIssue, value: unknown): string {
    if (issue.code === "unrecognized_keys") {
        return unknownKeysMessage(issue.keys);
    }
    if (issue.code === "invalid_type" && value === undefined) {
        return `is required and missing; ${issue.message.replace(/^is required: /, "set it to ")}`;
    }
    return `${issue.message} (got ${JSON.stringify(value)})`;
}
