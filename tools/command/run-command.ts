// Every command has one shape (Argo Rollouts' options struct): flags parsed into typed options, then
// run with its output streams injected, so that a test runs the command in-process as the entry file
// does. Here too are what every command does the same way: -h/--help, the usage error (one line and
// the usage, exit 64), the tool error (one line, exit 2).
import type { ParseArgsOptionsConfig } from "node:util";
import { EXIT } from "./exit-codes.ts";
import { ToolError, UsageError } from "./errors.ts";
import { parseFlags, type ParsedFlags } from "./flags.ts";

export interface OutputStream {
    write(text: string): unknown;
    /** A terminal: live progress lines are drawn only there. */
    isTTY?: boolean;
}

export interface CommandIO {
    stdout: OutputStream;
    stderr: OutputStream;
    /** The folder the command works in: Pulumi.yaml and the stack files, relative paths. */
    cwd: string;
}

export interface Command<F extends ParseArgsOptionsConfig, O, IO extends CommandIO = CommandIO> {
    /** Starts each of its messages ("verify: ..."), so that a line read in CI says whose it is. */
    name: string;
    /** The "Usage:" lines: printed after a usage error, and first in --help. */
    usage: string;
    /** The rest of --help: what the command does, every flag, the exit status. */
    help: string;
    /** Its flags; -h/--help is added to every command. */
    flags: F;
    /** Whether it takes words that are not flags (analyze's paths, start|stop). Defaults to false. */
    positionals?: boolean;
    /** The flags as the command's typed options; throws UsageError. */
    options(parsed: ParsedFlags<F>): O;
    /** Does the work and returns the exit status (EXIT); throws UsageError or ToolError to refuse. */
    run(options: O, io: IO): Promise<number> | number;
}

/** Types a command's options and run from its flags; the object itself is returned as it is. */
export function defineCommand<const F extends ParseArgsOptionsConfig, O, IO extends CommandIO = CommandIO>(command: Command<F, O, IO>): Command<F, O, IO> {
    return command;
}

const HELP_FLAG = { help: { type: "boolean", short: "h" } } as const;

/** The command line as the command's options, or "help" for -h/--help; throws UsageError. */
export function parseCommandLine<F extends ParseArgsOptionsConfig, O>(command: Command<F, O, never>, argv: readonly string[]): O | "help" {
    // parseArgs types its values only for flags known where it is called, not for a type parameter.
    const { values, positionals } = parseFlags<ParseArgsOptionsConfig>(argv, { ...command.flags, ...HELP_FLAG }, command.positionals ?? false);
    if (values.help === true) {
        return "help";
    }
    return command.options({ values: values as ParsedFlags<F>["values"], positionals });
}

/** Runs a command on `argv`; usage and tool errors become their message and exit status. */
export async function runCommand<F extends ParseArgsOptionsConfig, O, IO extends CommandIO>(command: Command<F, O, IO>, argv: readonly string[], io: IO): Promise<number> {
    try {
        const options = parseCommandLine(command, argv);
        if (options === "help") {
            io.stdout.write(`${command.usage}\n\n${command.help}\n`);
            return EXIT.ok;
        }
        return await command.run(options, io);
    } catch (err) {
        if (err instanceof UsageError) {
            io.stderr.write(`${command.name}: ${err.message}\n${command.usage}\n--help shows every flag.\n`);
            return EXIT.usage;
        }
        if (err instanceof ToolError) {
            io.stderr.write(`${command.name}: ${err.message}\n`);
            return EXIT.toolError;
        }
        throw err;
    }
}

/** This process's streams and folder. */
export function processIO(): CommandIO {
    return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

/**
 * An entry file's whole work: the command on this process's arguments, its status as the exit code.
 * Anything else thrown is a bug, reported with its stack as a tool error: exit 1 would read as a verdict.
 */
export async function runMain<F extends ParseArgsOptionsConfig, O, IO extends CommandIO>(command: Command<F, O, IO>, io: IO): Promise<void>;
export async function runMain<F extends ParseArgsOptionsConfig, O>(command: Command<F, O>): Promise<void>;
export async function runMain<F extends ParseArgsOptionsConfig, O>(command: Command<F, O, CommandIO>, io: CommandIO = processIO()): Promise<void> {
    try {
        process.exitCode = await runCommand(command, process.argv.slice(2), io);
    } catch (err) {
        io.stderr.write(`${command.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exitCode = EXIT.toolError;
    }
}
