// Enforcement levels and policy config for offline analysis, read from the same JSON file that
// `pulumi preview --policy-pack-config <file>` takes, so a team keeps one file for both.
import { readFileSync } from "node:fs";
import type { ConfiguredLevel, PolicySettings, Rule } from "../../policy/lib/rule.ts";
import { InputError } from "./input-error.ts";

const LEVELS: readonly ConfiguredLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isLevel(value: unknown): value is ConfiguredLevel {
    return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

/**
 * `{ "all": "mandatory", "<policy>": "disabled", "<policy>": { "enforcementLevel": "...", ...config } }`
 * becomes settings per policy; `all` sets the level of every policy a specific entry does not.
 */
export function parsePolicySettings(raw: unknown, rules: readonly Rule[], origin: string): Record<string, PolicySettings> {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new InputError(`${origin}: must be a JSON object of policy names to levels or settings`);
    }
    const names = new Set(rules.map((r) => r.name));
    const settings: Record<string, PolicySettings> = {};
    const entries = Object.entries(raw as Record<string, unknown>);
    const all = entries.find(([key]) => key === "all")?.[1];
    if (all !== undefined && !isLevel(all)) {
        throw new InputError(`${origin}: "all" must be one of ${LEVELS.join(", ")}`);
    }
    if (all !== undefined) {
        for (const name of names) {
            settings[name] = { enforcementLevel: all };
        }
    }
    for (const [key, value] of entries) {
        if (key === "all") {
            continue;
        }
        if (!names.has(key)) {
            throw new InputError(`${origin}: "${key}" is not a policy of this pack; use one of ${[...names].join(", ")}`);
        }
        if (isLevel(value)) {
            settings[key] = { ...settings[key], enforcementLevel: value };
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const level = (value as { enforcementLevel?: unknown }).enforcementLevel;
            if (level !== undefined && !isLevel(level)) {
                throw new InputError(`${origin}: "${key}".enforcementLevel must be one of ${LEVELS.join(", ")}`);
            }
            const rule = rules.find((r) => r.name === key);
            for (const [property, setting] of Object.entries(value)) {
                if (property !== "enforcementLevel" && rule !== undefined) {
                    checkSetting(rule, property, setting, origin);
                }
            }
            settings[key] = { ...settings[key], ...(value as PolicySettings) };
        } else {
            throw new InputError(`${origin}: "${key}" must be a level (${LEVELS.join(", ")}) or an object of settings`);
        }
    }
    return settings;
}

/** The checks of the policies' config schemas this pack uses (the Pulumi CLI validates the full JSON Schema). */
function checkSetting(rule: Rule, property: string, value: unknown, origin: string): void {
    const schema = rule.configSchema?.properties[property];
    const where = `${origin}: "${rule.name}".${property}`;
    if (schema === undefined) {
        const known = Object.keys(rule.configSchema?.properties ?? {});
        throw new InputError(`${where} is not a setting of this policy; ${known.length === 0 ? "it has none" : `use ${known.join(", ")}`}`);
    }
    const ok = schema.type === "array" ? Array.isArray(value) && value.every((v) => typeof v === "string")
        : schema.type === "string" ? typeof value === "string"
        : true;
    if (!ok) {
        throw new InputError(`${where} must be ${schema.type === "array" ? "a list of strings" : `a ${String(schema.type)}`}`);
    }
}

export function readPolicySettings(path: string, rules: readonly Rule[]): Record<string, PolicySettings> {
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new InputError(`cannot read policy config ${path}: ${code === "ENOENT" ? "no such file" : String(err)}`);
    }
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (err) {
        throw new InputError(`${path} is not valid JSON: ${(err as Error).message}`);
    }
    return parsePolicySettings(raw, rules, path);
}
