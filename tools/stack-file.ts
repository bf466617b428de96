// Reads a stack settings file (Pulumi.<stack>.yaml) the way the Pulumi CLI hands config to the
// program, so that tools outside the engine (render, verify) validate exactly what `pulumi up` would.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE, parseReleaseConfig, type ReleaseConfig } from "../config/index.ts";

/** Stands in for a `secure:` value: tools that need no credentials must never need to decrypt. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Which stack settings file to read: `--config-file` wins over `--stack`. */
export interface StackFileOptions {
    stack?: string;
    configFile?: string;
    /** The project folder (where Pulumi.yaml lives). */
    projectDir?: string;
}

/** Thrown when the stack file is missing or unreadable; the message is one plain line. */
export class StackFileError extends Error {
    override name = "StackFileError";
}

export function stackFilePath(options: StackFileOptions): string {
    const dir = options.projectDir ?? process.cwd();
    return options.configFile !== undefined
        ? resolve(dir, options.configFile)
        : resolve(dir, `Pulumi.${options.stack ?? "dev"}.yaml`);
}

/** The raw values of this project's keys, with encrypted values replaced by a placeholder. */
export function readStackConfig(options: StackFileOptions): Record<string, unknown> {
    const path = stackFilePath(options);
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(err);
        throw new StackFileError(`cannot read stack settings ${path}: ${reason}`);
    }
    let doc: unknown;
    try {
        doc = parse(text);
    } catch (err) {
        throw new StackFileError(`${path} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
    const config = (doc as { config?: unknown } | null)?.config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new StackFileError(`${path}: 'config' must be a map of keys to values`);
    }
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        const [namespace, name] = key.includes(":") ? key.split(":", 2) : [CONFIG_NAMESPACE, key];
        if (namespace === CONFIG_NAMESPACE && name !== undefined) {
            raw[name] = replaceSecrets(value);
        }
    }
    return raw;
}

/** Reads and validates a stack file; throws ConfigError or StackFileError. */
export function loadReleaseConfig(options: StackFileOptions): ReleaseConfig {
    return parseReleaseConfig(readStackConfig(options));
}

function replaceSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(replaceSecrets);
    }
    if (typeof value === "object" && value !== null) {
        const entries = Object.entries(value);
        if (entries.length === 1 && entries[0]?.[0] === "secure" && typeof entries[0][1] === "string") {
            return SECRET_PLACEHOLDER;
        }
        return Object.fromEntries(entries.map(([k, v]) => [k, replaceSecrets(v)]));
    }
    return value;
}
