// What every tool's flag parser does the same way: parseArgs, strict and without positionals, whose
// complaint becomes one line of a usage error; and the checks of a number or an http(s) URL, with
// the same message shape in every tool. Each tool throws its own usage error class, which its main
// turns into exit 64.
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/** The option values parseArgs gives for `options` when strict: typed by each option's type and default. */
export type OptionValues<O extends ParseArgsOptionsConfig> =
    ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true }>>["values"];

export type UsageErrorClass = new (message: string) => Error;

export interface FlagParser {
    /** Throws the usage error for an unknown flag, a missing value or a positional argument. */
    parse<const O extends ParseArgsOptionsConfig>(argv: string[], options: O): OptionValues<O>;
    /** `text` as a number for which `ok` holds; otherwise "<flag> '<text>' is invalid: use <what>". */
    number(flag: string, text: string, ok: (v: number) => boolean, what: string): number;
    /** `text` as an http:// or https:// URL; `example` is the one the message suggests. */
    httpUrl(flag: string, text: string, example: string): URL;
}

export function flagParser(UsageError: UsageErrorClass): FlagParser {
    return {
        parse(argv, options) {
            try {
                return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values;
            } catch (err) {
                // A usage error is one line; Node's for a value that looks like a flag runs on over three.
                throw new UsageError((err as Error).message.split("\n")[0] ?? String(err));
            }
        },
        number(flag, text, ok, what) {
            const value = text.trim() === "" ? NaN : Number(text);
            if (!Number.isFinite(value) || !ok(value)) {
                throw new UsageError(`${flag} '${text}' is invalid: use ${what}`);
            }
            return value;
        },
        httpUrl(flag, text, example) {
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
        },
    };
}
