// How an app's answers name the version that served them: a regular expression whose first group (or
// group `version`) is the version. `verify` and the rollout read answers with it; the stack's
// `app.versionPattern` and verify's --version-pattern are checked by the same rule.

/**
 * The convention most services follow: "version" followed by `:` or `=` and the name, quoted or not.
 * It reads helloworld's `Hello version: v1, instance: ...`, JSON's `{"version": "v2"}` and `version=v3`.
 */
export const DEFAULT_VERSION_PATTERN = `version["']?\\s*[:=]\\s*["']?([A-Za-z0-9][\\w.-]*)`;

/** What is wrong with `text` as a version pattern, or undefined when it compiles and has a group. */
export function versionPatternProblem(text: string): string | undefined {
    try {
        new RegExp(text);
    } catch (err) {
        return `is not a valid regular expression: ${(err as Error).message}`;
    }
    // An alternation with the empty string always matches, and its result has one slot per group.
    const groups = (new RegExp(`${text}|`).exec("")?.length ?? 1) - 1;
    return groups === 0 ? "needs a capture group for the version, e.g. 'version: (\\w+)'" : undefined;
}
