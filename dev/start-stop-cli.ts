// The command line `scripts/clusters`, `scripts/istiod` and `scripts/dataplane` share: `<name>
// start|stop [options]`, a command of tools/command (its -h, usage errors and exit status) whose one
// word says which half runs. A start or stop that fails is a tool error: its message, exit 2. Each
// `start` prints its folder for `eval` under one of FOLDER_VARIABLES, where the next tool (and its
// `stop`) looks for it.
import path from "node:path";
import type { ParseArgsOptionsConfig } from "node:util";
import { ToolError, UsageError } from "../tools/command/errors.ts";
import type { FlagValues } from "../tools/command/flags.ts";
import { defineCommand, type Command, type CommandIO } from "../tools/command/run-command.ts";

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

export interface StartStopCli<F extends ParseArgsOptionsConfig> {
    /** The prefix of every message, e.g. "clusters". */
    name: string;
    usage: string;
    help: string;
    /** The flags of start and stop. */
    flags: F;
    /** Each returns the exit status; throws UsageError for a flag it misses, anything else for a failure. */
    start(values: FlagValues<F>, io: CommandIO): Promise<number>;
    stop(values: FlagValues<F>, io: CommandIO): Promise<number>;
}

export function startStopCommand<const F extends ParseArgsOptionsConfig>(cli: StartStopCli<F>): Command<F, { action: "start" | "stop"; values: FlagValues<F> }> {
    return defineCommand({
        name: cli.name,
        usage: cli.usage,
        help: cli.help,
        flags: cli.flags,
        positionals: true,
        options({ values, positionals }) {
            const [action, ...extra] = positionals;
            if (extra.length > 0 || (action !== "start" && action !== "stop")) {
                throw new UsageError(`expected "start" or "stop"`);
            }
            return { action, values };
        },
        async run({ action, values }, io) {
            try {
                return await cli[action](values, io);
            } catch (err) {
                if (err instanceof UsageError || err instanceof ToolError) {
                    throw err;
                }
                throw new ToolError((err as Error).message);
            }
        },
    });
}
