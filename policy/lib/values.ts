// Reading manifest values that may be unknown. During `pulumi preview` the engine sends a value it
// cannot know yet (an output of a resource still to be created) as a sentinel; the adapter turns it
// into UNKNOWN, and every rule treats UNKNOWN as "cannot judge yet" rather than as a violation.

/** A value that is not known until the update runs. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

export type JsonObject = { readonly [key: string]: unknown };

/**
 * JSON with object keys sorted, so that equal values give equal text whatever order their keys came
 * in (a stack file's YAML keeps the user's order; the engine's serialisation keeps none).
 */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "object" && v !== null && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v));
}

export function isUnknown(value: unknown): value is Unknown {
    return value === UNKNOWN;
}

/** Walks `path` from `value`; UNKNOWN as soon as a step is unknown, undefined once a step is missing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
    let current = value;
    for (const key of path) {
        if (current === UNKNOWN) {
            return UNKNOWN;
        }
        if (typeof current !== "object" || current === null) {
            return undefined;
        }
        current = (current as Record<string | number, unknown>)[key];
    }
    return current;
}

export function asObject(value: unknown): JsonObject | undefined {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value as JsonObject : undefined;
}

export function asArray(value: unknown): readonly unknown[] | undefined {
    return Array.isArray(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** True when the value is UNKNOWN or holds UNKNOWN anywhere inside. */
export function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) {
        return true;
    }
    if (typeof value !== "object" || value === null) {
        return false;
    }
    return Object.values(value).some(containsUnknown);
}

/**
 * A string-to-string map such as labels or a selector: undefined when absent, UNKNOWN when any part is
 * unknown, and only the string entries otherwise.
 */
export function stringMap(value: unknown): Readonly<Record<string, string>> | Unknown | undefined {
    if (containsUnknown(value)) {
        return UNKNOWN;
    }
    const object = asObject(value);
    if (object === undefined) {
        return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(object)) {
        if (typeof v === "string") {
            out[k] = v;
        }
    }
    return out;
}

/** Whether `labels` carries every key/value of `selector` (an empty selector matches everything). */
export function labelsMatch(labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>>): boolean {
    for (const [k, v] of Object.entries(selector)) {
        if (labels[k] !== v) {
            return false;
        }
    }
    return true;
}

/** `app=helloworld, version=v1`, for messages. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
    const entries = Object.entries(labels);
    return entries.length === 0 ? "(no labels)" : entries.map(([k, v]) => `${k}=${v}`).join(", ");
}

/** Joins names for a sentence: "a", "a and b", "a, b and c". */
export function listWords(words: readonly string[]): string {
    if (words.length <= 1) {
        return words.join("");
    }
    return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
