// One exit-status table for every command, so that a script or a CI step reads any of them the same way.

export const EXIT = {
    /** The command did its work, and its verdict, where it gives one, passed. */
    ok: 0,
    /** It ran to the end and the verdict failed: verify's MISMATCH, a rollout rolled back, a mandatory policy violated. */
    failed: 1,
    /** It could not do its work: something it needs is missing, unreadable, invalid or unreachable. */
    toolError: 2,
    /** The command line is wrong: EX_USAGE from sysexits.h. */
    usage: 64,
} as const;

/** What each status means for one command, in its words; a command without a verdict never exits 1. */
export interface ExitMeanings {
    ok: string;
    failed?: string;
    toolError: string;
}

/** The last line of every command's help, in one shape. */
export function exitStatusHelp(meanings: ExitMeanings): string {
    const failed = meanings.failed === undefined ? "" : `, ${EXIT.failed} ${meanings.failed}`;
    return `Exit status: ${EXIT.ok} ${meanings.ok}${failed}, ${EXIT.toolError} ${meanings.toolError}, ${EXIT.usage} usage error.`;
}
