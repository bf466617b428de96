// docs/config.md against the schema: every key the stack config has (each top-level key, and each key
// of an object or of a map's value objects) has one row, with the schema's default and an example the
// schema accepts, and the page names no key the schema lacks. The defaults are written once, in the
// schema (and config/defaults.ts for the one it does not hold); the page is compared with them. A key
// whose default follows another key (config/effective.ts) names that key, never a value.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { DEFAULT_RESOURCES } from "../../config/defaults.ts";
import { CONFIG_NAMESPACE } from "../../config/namespace.ts";
import { CONFIG_KEYS, rawConfigSchema, unwrapSchema } from "../../config/schema.ts";
import { misplacedSecrets } from "../../config/secrets.ts";
import { codeSpans, readDoc, tableRows } from "../support/docs.ts";

const PAGE = "docs/config.md";
/** How a row names a map's entries: `<cluster>`, `<version>`. */
const ANY_NAME = "<>";
/** The default-cell tokens the page explains: no default, and an object filled from its keys' defaults. */
const REQUIRED = "required";
const FROM_KEYS = "each key's";

/** Defaults applied after the schema, in normalise.ts: config/defaults.ts. */
const DEFAULTS_OUTSIDE_THE_SCHEMA: Record<string, unknown[]> = {
    [`versions.${ANY_NAME}.resources`]: [DEFAULT_RESOURCES],
};

/** The schema inside every default, prefault, optional and nullable wrapper. */
function inner(schema: z.ZodType): z.ZodType {
    const unwrapped = unwrapSchema(schema);
    return unwrapped instanceof z.ZodPrefault ? inner(unwrapped.unwrap() as z.ZodType) : unwrapped;
}

/** The default as a stack file would write it (a prefault's input, not its parsed output). */
function defaultOf(schema: z.ZodType): { value: unknown } | undefined {
    if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) {
        return { value: (schema.def as { defaultValue: unknown }).defaultValue };
    }
    return schema instanceof z.ZodOptional || schema instanceof z.ZodNullable ? defaultOf(schema.unwrap() as z.ZodType) : undefined;
}

function isRequired(schema: z.ZodType): boolean {
    return !(schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault);
}

interface ConfigKeyNode {
    path: string;
    top: string;
    schema: z.ZodType;
}

/** Every key below `schema`: an object's keys, and the keys of a map's value objects (as `<>`). */
function keysBelow(schema: z.ZodType, prefix: string[], top: string): ConfigKeyNode[] {
    const node = inner(schema);
    if (node instanceof z.ZodObject) {
        return Object.entries(node.shape as Record<string, z.ZodType>).flatMap(([key, child]) => [
            { path: [...prefix, key].join("."), top, schema: child },
            ...keysBelow(child, [...prefix, key], top),
        ]);
    }
    if (node instanceof z.ZodRecord && inner(node.valueType as z.ZodType) instanceof z.ZodObject) {
        return keysBelow(node.valueType as z.ZodType, [...prefix, ANY_NAME], top);
    }
    return [];
}

const SCHEMA_KEYS: ConfigKeyNode[] = CONFIG_KEYS.flatMap((key) => {
    const schema = rawConfigSchema.shape[key] as z.ZodType;
    return [{ path: key, top: key, schema }, ...keysBelow(schema, [key], key)];
});

/** Whether a concrete key path (`versions.v1.replicas`, `rollout.analysis`) is one the schema has. */
function isSchemaPath(path: string): boolean {
    let schema: z.ZodType = rawConfigSchema;
    for (const part of path.split(".")) {
        const node = inner(schema);
        if (node instanceof z.ZodObject) {
            const child = (node.shape as Record<string, z.ZodType>)[part];
            if (child === undefined) {
                return false;
            }
            schema = child;
        } else if (node instanceof z.ZodRecord) {
            schema = node.valueType as z.ZodType;
        } else {
            return false;
        }
    }
    return true;
}

const page = readDoc(PAGE);
const rows = tableRows(page, "Key").map(([key = "", defaultCell = "", example = ""]) => ({
    key: key.replace(/^`|`$/g, "").replace(/<[^>]+>/g, ANY_NAME),
    defaultCell,
    example,
}));
const rowOf = (path: string) => rows.find((row) => row.key === path);
const spanValues = (cell: string) => codeSpans(cell).map((span) => parse(span) as unknown);

describe("docs/config.md against the config schema", () => {
    it("has one row per key of the schema, and none for a key it lacks", () => {
        expect(rows.map((row) => row.key)).toEqual([...new Set(rows.map((row) => row.key))]);
        expect(rows.map((row) => row.key).sort()).toEqual(SCHEMA_KEYS.map((node) => node.path).sort());
    });

    it.each(SCHEMA_KEYS.map((node) => [node.path, node] as const))("%s: its default, as the schema has it", (path, node) => {
        const cell = rowOf(path)?.defaultCell;
        const schemaDefault = defaultOf(node.schema);
        const outside = DEFAULTS_OUTSIDE_THE_SCHEMA[path];
        if (outside !== undefined) {
            expect(spanValues(cell ?? "")).toEqual(expect.arrayContaining(outside));
        } else if (schemaDefault !== undefined && inner(node.schema) instanceof z.ZodObject) {
            // An object's own default must be what its keys' defaults make, or "each key's" would not hold.
            expect(node.schema.parse(undefined)).toEqual(inner(node.schema).parse({}));
            expect(cell).toBe(FROM_KEYS);
        } else if (schemaDefault !== undefined) {
            expect(spanValues(cell ?? "")).toContainEqual(schemaDefault.value);
        } else if (isRequired(node.schema)) {
            expect(cell).toBe(REQUIRED);
        } else {
            // No default of its own: the cell may name the keys it follows, never a value.
            expect(codeSpans(cell ?? "").filter((span) => !isSchemaPath(span))).toEqual([]);
        }
    });

    it.each(SCHEMA_KEYS.map((node) => [node.path, node] as const))("%s: an example the schema accepts", (path, node) => {
        const examples = spanValues(rowOf(path)?.example ?? "");
        expect(examples.length).toBeGreaterThan(0);
        for (const example of examples) {
            const isSecret = typeof example === "object" && example !== null && Object.keys(example).join() === "secure";
            if (isSecret) {
                // In the stack file a secret is `{ secure: ... }`, which only a key that may hold one accepts.
                expect(misplacedSecrets(new Set([node.top]))).toEqual([]);
            } else {
                expect(inner(node.schema).safeParse(example).error?.issues ?? []).toEqual([]);
            }
        }
    });

    it("names no key the schema does not have, in its code spans", () => {
        const keyLike = codeSpans(page).map((span) => span.replace(new RegExp(`^${CONFIG_NAMESPACE}:`), ""))
            .filter((span) => /^[a-z][A-Za-z]*(\.[\w<>-]+)*$/.test(span) && (CONFIG_KEYS as string[]).includes(span.split(".")[0] ?? ""));
        expect(keyLike.length).toBeGreaterThan(SCHEMA_KEYS.length);
        expect(keyLike.filter((span) => !isSchemaPath(span))).toEqual([]);
    });
});
