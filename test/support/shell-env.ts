// For tests that run the project's scripts (scripts/npm, npm itself) as a user runs them from a shell.
// The tests run under `npm test`, and npm hands the scripts it runs settings of its own: an npm inside
// such a script reads them as its configuration. npm_config_prefix, for one, is the folder of the Node
// that ran the outer npm, where `npm exec` looks for commands first.

/** Set by npm for the scripts it runs: its settings and the package's fields (npm_*), NODE, INIT_CWD. */
function setByNpm(name: string): boolean {
    return /^npm_/i.test(name) || name === "NODE" || name === "INIT_CWD";
}

/** This process's environment without what an npm around the tests added, with `overrides` on top. */
export function shellEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !setByNpm(name))), ...overrides };
}
