// The two ways a command refuses, each one line a user can act on: the command line is wrong (exit 64,
// with the usage), or something the command needs is not there (exit 2). run-command.ts prints them.

/** A wrong flag, value or combination: the message names the flag and the fix. */
export class UsageError extends Error {
    override name = "UsageError";
}

/** The command cannot do its work: a file it cannot read, a program or server it cannot reach. */
export class ToolError extends Error {
    override name = "ToolError";
}
