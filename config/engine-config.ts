// The stack config as the Pulumi engine hands it to a program, and the one decoding of it that
// both `pulumi up` (index.ts) and the tools that read a stack file (render, verify) go through.
//
// The engine passes every key as `<namespace>:<name>` with a string value: a top-level scalar as its
// text (`false`, `1234`, `gray-demo`: YAML's quotes are gone), a list or map as JSON. Only the
// program knows which keys are structured, so the schema's type of each key decides how its text is read.
import { z } from "zod";
import { CONFIG_NAMESPACE } from "./namespace.ts";
import { unknownKeyProblem, type ConfigProblem } from "./problems.ts";
import { CONFIG_KEYS, rawConfigSchema, unwrapSchema, type ConfigKey } from "./schema.ts";
import { closestMatch } from "./suggest.ts";

/** What the engine gives a program: every key's text, and which keys hold a secret anywhere in their value. */
export interface EngineConfig {
    values: Readonly<Record<string, string>>;
    secretKeys: readonly string[];
}

/** The program's keys, decoded, with the problems found in the keys themselves. */
export interface DecodedConfig {
    /** `<name>` to value, for the keys in this project's namespace. */
    raw: Record<string, unknown>;
    /** Names (without namespace) of this project's keys that hold a secret. */
    secretKeys: ReadonlySet<string>;
    problems: ConfigProblem[];
}

type ValueKind = "text" | "boolean" | "structured";

/** How a key's text is read: as the schema expects its value. */
function valueKind(wrapped: z.ZodType): ValueKind {
    const schema = unwrapSchema(wrapped);
    if (schema instanceof z.ZodBoolean) {
        return "boolean";
    }
    return schema instanceof z.ZodString || schema instanceof z.ZodEnum ? "text" : "structured";
}

const KEY_KINDS = Object.fromEntries(CONFIG_KEYS.map((key) => [key, valueKind(rawConfigSchema.shape[key])])) as Record<ConfigKey, ValueKind>;

function decodeValue(kind: ValueKind, text: string): unknown {
    if (kind === "text") {
        return text;
    }
    if (kind === "boolean") {
        // As pulumi.Config.getBoolean reads it: exactly "true" or "false"; anything else stays text for the schema to reject.
        return text === "true" ? true : text === "false" ? false : text;
    }
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return text;
    }
}

/**
 * Keys arrive as `<namespace>:<name>` (Pulumi's Node SDK already turned the legacy
 * `<namespace>:config:<name>` into that). Keys of other namespaces belong to other packages, unless the
 * namespace is a near miss of the project's name.
 */
export function decodeEngineConfig(engine: EngineConfig): DecodedConfig {
    const raw: Record<string, unknown> = {};
    const problems: ConfigProblem[] = [];
    const secretKeys = new Set<string>();
    const secret = new Set(engine.secretKeys);
    // Sorted, so that problems come in one order whatever order the keys came in.
    for (const [key, text] of Object.entries(engine.values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const colon = key.indexOf(":");
        const namespace = key.slice(0, colon);
        const name = key.slice(colon + 1);
        if (namespace !== CONFIG_NAMESPACE) {
            if (closestMatch(namespace, [CONFIG_NAMESPACE]) !== undefined) {
                problems.push(unknownKeyProblem(key, name));
            }
            continue;
        }
        if (text === "") {
            // An empty value in the stack file (`key:` with nothing after it) reaches the program as "".
            problems.push({ path: name, message: "has no value; give it one, or remove the key to get its default" });
            continue;
        }
        const kind = (KEY_KINDS as Partial<Record<string, ValueKind>>)[name] ?? "structured";
        raw[name] = decodeValue(kind, text);
        if (secret.has(key)) {
            secretKeys.add(name);
        }
    }
    return { raw, secretKeys, problems };
}
