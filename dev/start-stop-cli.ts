// The command line `scripts/clusters`, `scripts/istiod` and `scripts/dataplane` share: `<name>
// start|stop [options]`, -h for the usage, exit 64 with the usage for anything else, exit 1 (the
// error's message) when the command fails. Every message starts with the tool's name, so a line read
// in CI says whose it is. Each `start` prints its folder for `eval` under one of FOLDER_VARIABLES,
// where the next tool (and its `stop`) looks for it.
import path from "node:path";
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import type { OptionValues } from "../tools/flag-parser.ts";

/** The variable each tool's `start` sets to its folder. */
export const FOLDER_VARIABLES = {
    clusters: "HWG_CLUSTERS_DIR",
    istiod: "HWG_ISTIOD_DIR",
    dataplane: "HWG_DATAPLANE_DIR",
} as const;

/** A folder from its flag, else from its variable; undefined when neither is set (or empty). */
export function folderFromFlagOrEnv(flag: string | undefined, variable: string): string | undefined {
    const chosen = flag ?? process.env[variable];
    return chosen === undefined || chosen === "" ? undefined : path.resolve(chosen);
}

const EXIT_FAILED = 1;
const EXIT_USAGE = 64;

export interface StartStopCli<O extends ParseArgsOptionsConfig> {
    /** The prefix of every message, e.g. "clusters". */
    name: string;
    usage: string;
    /** The options of start and stop; -h/--help is added. */
    options: O;
    /** Each returns the exit code; `usageError` prints the message with the usage and returns EXIT_USAGE. */
    start(values: OptionValues<O>, usageError: (message: string) => number): Promise<number>;
    stop(values: OptionValues<O>, usageError: (message: string) => number): Promise<number>;
}

export async function runStartStopCli<const O extends ParseArgsOptionsConfig>(cli: StartStopCli<O>, argv: string[]): Promise<number> {
    const usageError = (message: string): number => {
        console.error(`${cli.name}: ${message}\n${cli.usage}`);
        return EXIT_USAGE;
    };
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            options: { ...cli.options, help: { type: "boolean", short: "h" } },
            strict: true,
        });
    } catch (err) {
        return usageError((err as Error).message);
    }
    const [command, ...extra] = parsed.positionals;
    // parseArgs's types resolve only for options known where it is called, not for a type parameter.
    const values = parsed.values as OptionValues<O> & { help?: boolean };
    if (values.help === true) {
        console.log(cli.usage);
        return 0;
    }
    if (extra.length > 0 || (command !== "start" && command !== "stop")) {
        return usageError(`expected "start" or "stop"`);
    }
    try {
        return await cli[command](values, usageError);
    } catch (err) {
        console.error(`${cli.name}: ${(err as Error).message}`);
        return EXIT_FAILED;
    }
}
