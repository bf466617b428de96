// Flags, read the same way by every command: node:util's parseArgs, strict, each complaint one line of
// a UsageError; and the checks of a number or an http(s) URL, with one message shape everywhere.
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "./errors.ts";

/** The flag values parseArgs gives for `flags`: typed by each flag's type and default. */
export type FlagValues<F extends ParseArgsOptionsConfig> =
    ReturnType<typeof parseArgs<{ args: string[]; options: F; strict: true; allowPositionals: true }>>["values"];

export interface ParsedFlags<F extends ParseArgsOptionsConfig> {
    values: FlagValues<F>;
    /** The words that are not flags; always empty unless the command allows them. */
    positionals: string[];
}

/** Throws a UsageError for an unknown flag, a missing value, or a word that is not a flag where none is allowed. */
export function parseFlags<const F extends ParseArgsOptionsConfig>(argv: readonly string[], flags: F, allowPositionals = false): ParsedFlags<F> {
    try {
        const { values, positionals } = parseArgs({ args: takeValues(argv, flags), options: flags, strict: true, allowPositionals });
        return { values, positionals };
    } catch (err) {
        if (err instanceof UsageError) {
            throw err;
        }
        // Node's complaints run on with advice about positionals that would mislead here: the first sentence.
        throw new UsageError(((err as Error).message.split("\n")[0] ?? "").replace(/\. To specify a positional .*$/, ""));
    }
}

/** The flag a word names (`--pause`, `-h`), when it names one of `flags` and carries no `=value`. */
function flagNamed(word: string, flags: ParseArgsOptionsConfig): string | undefined {
    if (word.startsWith("--")) {
        const name = word.slice(2);
        return Object.hasOwn(flags, name) ? name : undefined;
    }
    return word.length === 2 && word.startsWith("-") ? Object.keys(flags).find((name) => flags[name]?.short === word[1]) : undefined;
}

/**
 * A flag that takes a value takes the next word as it, even a word starting with '-' (`--pause -5s`),
 * which parseArgs calls ambiguous: the flag's own check then says what is wrong with the value. A next
 * word that is one of the command's flags is not taken: the value was left out.
 */
function takeValues(argv: readonly string[], flags: ParseArgsOptionsConfig): string[] {
    const words: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const word = argv[i] as string;
        if (word === "--") {
            words.push(...argv.slice(i));
            break;
        }
        const name = flagNamed(word, flags);
        const next = argv[i + 1];
        if (name === undefined || flags[name]?.type !== "string" || next === undefined || !next.startsWith("-")) {
            words.push(word);
            continue;
        }
        if (flagNamed(next.split("=")[0] ?? next, flags) !== undefined) {
            throw new UsageError(`${word} needs a value, and ${next} after it is a flag`);
        }
        words.push(`--${name}=${next}`);
        i++;
    }
    return words;
}

/** `text` as a number for which `ok` holds; otherwise "<flag> '<text>' is invalid: use <what>". */
export function numberFlag(flag: string, text: string, ok: (value: number) => boolean, what: string): number {
    const value = text.trim() === "" ? NaN : Number(text);
    if (!Number.isFinite(value) || !ok(value)) {
        throw new UsageError(`${flag} '${text}' is invalid: use ${what}`);
    }
    return value;
}

/** `text` as an http:// or https:// URL; `example` is the one the message suggests. */
export function httpUrlFlag(flag: string, text: string, example: string): URL {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        throw new UsageError(`${flag} '${text}' is not a URL; use e.g. ${example}`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new UsageError(`${flag} '${text}' must be http:// or https://`);
    }
    return url;
}
