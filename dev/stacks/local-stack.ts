// The Pulumi side of `scripts/try-local-clusters`: the project's own `dev` stack (the real
// Pulumi.dev.yaml, in the project folder) with its state inside the local clusters' folder, and the
// shell lines that let a user run the README's `pulumi` commands on it as written.
//
// Why inside the clusters' folder: the state names the clusters' kubeconfig and objects. Kept
// anywhere else, it outlives them (`scripts/clusters stop` removes the folder), and the next
// clusters' `pulumi up` fails on the old kubeconfig ("failed to parse kubeconfig data"). Here it goes
// with them, and so does PULUMI_HOME (the stack selection, the language plugin), so a user's own
// ~/.pulumi and login are never read or written.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LocalClusters } from "../clusters/local-clusters.ts";
import { shellQuote } from "../shell-quote.ts";
import { installLanguageHost } from "../engine/language-host-plugin.ts";
import type { CommandResult } from "../engine/workspace.ts";

const PROJECT_DIR = fileURLToPath(new URL("../..", import.meta.url));

export const LOCAL_STACK = "dev";
/**
 * `pulumi stack init` keeps the passphrase's salt in Pulumi.dev.yaml (`encryptionsalt`), where it
 * outlives the clusters; with the same passphrase every time, the next clusters' stack reuses it.
 * The dev stack holds no secret: the clusters are reached through kubeconfig contexts.
 */
export const LOCAL_PASSPHRASE = "try-local-clusters";

export interface LocalStackOptions {
    /** The directory holding `pulumi` and the Kubernetes provider plugin (scripts/pulumi-engine). */
    engineBin: string;
    clusters: LocalClusters;
    /** The folder holding Pulumi.yaml and Pulumi.dev.yaml; default: this clone. */
    projectDir?: string;
}

export interface LocalStack {
    projectDir: string;
    /** `<clusters' folder>/pulumi`: the file backend (`state/`) and PULUMI_HOME (`home/`). */
    dir: string;
    /** The `export` lines for a user's shell: with them, `pulumi <command>` in the project folder works on this stack. */
    exportLines: string[];
    /** The environment those lines give, on top of this process's. */
    env: NodeJS.ProcessEnv;
    /** `pulumi <args>` in the project folder, on the stack the user's shell selects too. */
    run(args: string[]): CommandResult;
}

/** Creates (or selects) the stack and returns what runs commands on it; fails with the CLI's output. */
export function createLocalStack(options: LocalStackOptions): LocalStack {
    const projectDir = path.resolve(options.projectDir ?? PROJECT_DIR);
    const dir = path.join(options.clusters.dir, "pulumi");
    const state = path.join(dir, "state");
    const home = path.join(dir, "home");
    mkdirSync(state, { recursive: true });
    mkdirSync(home, { recursive: true });
    installLanguageHost(home);

    // The Node that runs this code goes on PATH too (scripts/npm chose it; the shell's `node` may be
    // older): `npm run verify` and a real CLI's own language host run whatever `node` PATH gives.
    const pathPrefix = [options.engineBin, path.dirname(process.execPath)];
    const variables: [string, string][] = [
        ["KUBECONFIG", options.clusters.kubeconfig],
        ["PULUMI_BACKEND_URL", `file://${state}`],
        ["PULUMI_HOME", home],
        ["PULUMI_CONFIG_PASSPHRASE", LOCAL_PASSPHRASE],
        // The CLI is the pinned build scripts/pulumi-engine made; "a new version is available" would
        // point at an installer this set-up does not use.
        ["PULUMI_SKIP_UPDATE_CHECK", "true"],
    ];
    const prefix = pathPrefix.join(path.delimiter);
    const exportLines = [
        `export PATH=${shellQuote(prefix)}:"$PATH"`,
        ...variables.map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, ...Object.fromEntries(variables), PATH: `${prefix}${path.delimiter}${process.env.PATH ?? ""}` };

    const run = (args: string[]): CommandResult => {
        const started = performance.now();
        const result = spawnSync("pulumi", args, { cwd: projectDir, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        if (result.error) {
            throw result.error;
        }
        return { status: result.status, stdout: result.stdout, stderr: result.stderr, seconds: (performance.now() - started) / 1000 };
    };
    // `select --create`: a second call on the same clusters finds the stack there.
    const init = run(["stack", "select", "--create", LOCAL_STACK]);
    if (init.status !== 0) {
        throw new Error(`pulumi stack select --create ${LOCAL_STACK} exited ${init.status}\n${init.stdout}\n${init.stderr}`);
    }
    return { projectDir, dir, exportLines, env, run };
}
