// What to pass as `--policy-pack` for this project's pack: the folder, as users do, or, where the CLI
// has no Node.js language host to run a pack folder with, the pack's own launcher
// (policy/pulumi-analyzer-policy; see "The real engine" in README.md).
import { existsSync } from "node:fs";
import path from "node:path";

/** True when `program` is in a folder of the search path `searchPath` (a PATH value). */
export function onSearchPath(program: string, searchPath: string): boolean {
    return searchPath.split(path.delimiter).some((dir) => dir !== "" && existsSync(path.join(dir, program)));
}

/** True when `pulumi-language-nodejs` is on the search path `searchPath` (a PATH value). */
export function hasNodeLanguageHost(searchPath: string): boolean {
    return onSearchPath("pulumi-language-nodejs", searchPath);
}

/** The `--policy-pack` argument, relative to the project folder. */
export function policyPackPath(searchPath: string): string {
    return hasNodeLanguageHost(searchPath) ? "policy" : "policy/pulumi-analyzer-policy";
}
