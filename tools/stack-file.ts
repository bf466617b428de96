// Reads a stack settings file (Pulumi.<stack>.yaml) into exactly what the Pulumi engine would hand
// the program, so that tools outside the engine (render, verify) validate what `pulumi up` would.
// The rules are the Pulumi CLI's (sdk/go/common/workspace/loaders.go, resource/config/key.go and
// object.go): a key without a namespace belongs to the project; `<ns>:config:<name>` is the old
// spelling of `<ns>:<name>`; any other key with two colons makes the file unloadable. A top-level
// scalar reaches the program as its text; a list or map as JSON with its map keys sorted.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseDocument } from "yaml";
import { CONFIG_NAMESPACE, ConfigError, describeProblem, parseEngineConfig, type EngineConfig, type ReleaseConfig } from "../config/index.ts";
import { ToolError } from "./command/errors.ts";

/** Stands in for a `secure:` value: tools that need no credentials must never need to decrypt. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Which stack settings file to read: `--config-file` wins over `--stack`. */
export interface StackFileOptions {
    stack?: string;
    configFile?: string;
    /** The project folder (where Pulumi.yaml lives). */
    projectDir?: string;
}

/** Thrown when the stack file is missing, unreadable or not a stack file; the message is one plain line. */
export class StackFileError extends Error {
    override name = "StackFileError";
}

export function stackFilePath(options: StackFileOptions): string {
    const dir = options.projectDir ?? process.cwd();
    return options.configFile !== undefined
        ? resolve(dir, options.configFile)
        : resolve(dir, `Pulumi.${options.stack ?? "dev"}.yaml`);
}

/** The stack file's config as the engine hands it to the program, encrypted values replaced by a placeholder. */
export function readStackConfig(options: StackFileOptions): EngineConfig {
    const path = stackFilePath(options);
    let bytes: Buffer;
    try {
        bytes = readFileSync(path);
    } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(err);
        throw new StackFileError(`cannot read stack settings ${path}: ${reason}`);
    }
    return stackConfigFromText(decodeText(bytes, path), path);
}

/** Reads and validates a stack file; throws ConfigError or StackFileError. */
export function loadReleaseConfig(options: StackFileOptions): ReleaseConfig {
    return parseEngineConfig(readStackConfig(options));
}

/**
 * A command's stack (`--stack <name>`): its file as the engine reads it and the release config. A file
 * that cannot be read or a config that is invalid is a ToolError naming the stack, one line (exit 2).
 */
export function readCommandStack(stack: string, projectDir: string): { engineConfig: EngineConfig; config: ReleaseConfig } {
    try {
        const engineConfig = readStackConfig({ stack, projectDir });
        return { engineConfig, config: parseEngineConfig(engineConfig) };
    } catch (err) {
        if (err instanceof StackFileError) {
            throw new ToolError(`stack '${stack}': ${err.message}`);
        }
        if (err instanceof ConfigError) {
            throw new ToolError(`stack '${stack}' has invalid config: ${err.problems.map(describeProblem).join("; ")}`);
        }
        throw err;
    }
}

const NOT_A_STACK_FILE = "a stack file is a YAML map with a config: section";

function decodeText(bytes: Buffer, path: string): string {
    let text: string;
    try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        throw new StackFileError(`${path} is not a stack file: it is binary, not UTF-8 text; ${NOT_A_STACK_FILE}`);
    }
    if (text.includes("\u0000")) {
        throw new StackFileError(`${path} is not a stack file: it is binary (it holds NUL bytes); ${NOT_A_STACK_FILE}`);
    }
    return text.replace(/^\uFEFF/, "");
}

/** The config of a stack file's text, as the engine hands it to the program; `path` names the file in messages. */
export function stackConfigFromText(text: string, path: string): EngineConfig {
    const doc = parseDocument(text);
    const [error] = doc.errors;
    if (error !== undefined) {
        const { line, col } = error.linePos?.[0] ?? { line: 1, col: 1 };
        const reason = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? error.code;
        const source = text.split(/\r?\n/)[line - 1]?.trim() ?? "";
        throw new StackFileError(`${path}:${line}:${col}: not valid YAML: ${reason} (line ${line}: ${source})`);
    }
    const top: unknown = doc.toJS();
    if (top === null || top === undefined) {
        throw new StackFileError(`${path} is not a stack file: it is empty; ${NOT_A_STACK_FILE}`);
    }
    if (typeof top !== "object" || Array.isArray(top)) {
        const what = Array.isArray(top) ? "a list" : `a single ${typeof top}`;
        throw new StackFileError(`${path} is not a stack file: its top level is ${what}; ${NOT_A_STACK_FILE}`);
    }
    const config = (top as { config?: unknown }).config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new StackFileError(`${path}: 'config' must be a map of keys to values`);
    }
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    const writtenAs = new Map<string, string>();
    const badKeys: string[] = [];
    for (const [written, value] of Object.entries(config as Record<string, unknown>)) {
        const key = engineKey(written);
        if (key === undefined) {
            badKeys.push(written);
            continue;
        }
        const earlier = writtenAs.get(key);
        if (earlier !== undefined) {
            throw new StackFileError(`${path} sets ${key} twice (as '${earlier}' and '${written}'); keep one`);
        }
        writtenAs.set(key, written);
        const text = engineText(value);
        values[key] = text.value;
        if (text.secret) {
            secretKeys.push(key);
        }
    }
    if (badKeys.length > 0) {
        throw new StackFileError(`${path}: ${badKeys.map((k) => `'${k}'`).join(", ")} is not a config key Pulumi can read; ` +
            "write <namespace>:<name>, e.g. helloworld-grayscale:weights (the project's namespace may be left out)");
    }
    return { values, secretKeys };
}

/** `<namespace>:<name>` as the CLI reads a stack-file key, or undefined where the CLI refuses it. */
function engineKey(written: string): string | undefined {
    const parts = written.split(":");
    if (parts.length === 1) {
        return `${CONFIG_NAMESPACE}:${written}`;
    }
    if (parts.length === 2) {
        return written;
    }
    return parts.length === 3 && parts[1] === "config" ? `${parts[0] as string}:${parts[2] as string}` : undefined;
}

/** The string the engine hands the program for a top-level value, and whether it holds a secret. */
function engineText(value: unknown): { value: string; secret: boolean } {
    if (isSecure(value)) {
        return { value: SECRET_PLACEHOLDER, secret: true };
    }
    if (typeof value === "string") {
        return { value, secret: false };
    }
    if (value === null || value === undefined) {
        // `key:` with nothing after it: the CLI warns and hands the program an empty string.
        return { value: "", secret: false };
    }
    if (typeof value === "object" && value !== null) {
        let secret = false;
        const json = JSON.stringify(value, (_key, nested: unknown) => {
            if (isSecure(nested)) {
                secret = true;
                return SECRET_PLACEHOLDER;
            }
            // Go's encoding/json writes a map's keys sorted; the program sees them in that order.
            return typeof nested === "object" && nested !== null && !Array.isArray(nested)
                ? Object.fromEntries(Object.entries(nested).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
                : nested;
        });
        return { value: json, secret };
    }
    // Booleans and numbers: their JSON text, as the CLI marshals them.
    return { value: JSON.stringify(value), secret: false };
}

function isSecure(value: unknown): boolean {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return false;
    }
    const entries = Object.entries(value);
    return entries.length === 1 && entries[0]?.[0] === "secure" && typeof entries[0][1] === "string";
}
