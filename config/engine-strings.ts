// Pulumi hands a program every config value as a string: structured values as JSON, plain values
// as themselves. This turns them back into the raw values parseReleaseConfig() validates.
import { CONFIG_KEYS } from "./schema.ts";

/**
 * Turns the strings the Pulumi engine hands a program (structured values arrive as JSON, plain
 * strings as themselves) into the raw values parseReleaseConfig() validates.
 */
export function rawConfigFromStrings(read: (key: string) => string | undefined): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const key of CONFIG_KEYS) {
        const text = read(key);
        if (text === undefined) {
            continue;
        }
        try {
            raw[key] = JSON.parse(text);
        } catch {
            raw[key] = text;
        }
    }
    return raw;
}
