// A Pulumi project and stack in a temporary folder, driven through the real `pulumi` CLI with a local
// file backend: what a user's `pulumi stack init`, `config set`, `preview` and `up` do, isolated
// from the clone (no Pulumi.<stack>.yaml is written into it) and from ~/.pulumi. Used by the engine
// tests (test/engine) and the engine benchmark (bench/engine.ts).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { hasNodeLanguageHost, policyPackPath } from "../../tools/policy-pack-path.ts";
import { projectMain } from "./project-main.ts";
import { renderModeConfig } from "./render-mode.ts";

const PROJECT_DIR = fileURLToPath(new URL("../..", import.meta.url));

export interface CommandResult {
    status: number | null;
    stdout: string;
    stderr: string;
    /** Wall time of the whole command, in seconds. */
    seconds: number;
}

/** Without a Node.js language host, every command goes through program-host.ts (see there). */
const PROGRAM_HOST = path.join(PROJECT_DIR, "dev/engine/program-host.ts");

export interface WorkspaceOptions {
    /** The directory holding `pulumi` and the provider plugin (what scripts/pulumi-engine prints). */
    engineBin: string;
    /** The stack's config, as it appears under `config:` in Pulumi.<stack>.yaml. */
    config: Record<string, unknown>;
    /** Point every cluster's provider at `<renderRoot>/<cluster>` (render mode: no cluster needed). */
    renderMode?: boolean;
    /** A program to run in place of this project's (a test fixture); Pulumi.yaml stays this project's. */
    program?: string;
    /**
     * Another Pulumi project to run (e.g. an example, with its own Pulumi.yaml, package.json and
     * node_modules) instead of this one; the policy pack stays this project's.
     */
    projectDir?: string;
    stack?: string;
    /**
     * Extra environment for every command, e.g. PULUMI_DEBUG_COMMANDS to unlock `up --event-log`, or
     * KUBECONFIG naming live clusters' contexts.
     */
    env?: Record<string, string>;
}

export class PulumiWorkspace {
    /** The project folder: Pulumi.yaml, Pulumi.<stack>.yaml and links to the program. */
    readonly dir: string;
    /** Where render-mode providers write, one folder per cluster. */
    readonly renderRoot: string;
    readonly stack: string;
    /** The project the workspace runs: this one, or the one given as `projectDir`. */
    private readonly projectDir: string;
    /** The environment every command runs with: the engine first on PATH, the stack's own backend. */
    readonly env: NodeJS.ProcessEnv;
    private readonly root: string;

    constructor(options: WorkspaceOptions) {
        this.stack = options.stack ?? "engine";
        this.root = mkdtempSync(path.join(tmpdir(), "hwg-engine-"));
        this.dir = path.join(this.root, "project");
        this.renderRoot = path.join(this.root, "rendered");
        const backend = path.join(this.root, "backend");
        mkdirSync(this.dir);
        mkdirSync(backend);
        // Pulumi.yaml is copied (the CLI reads it from here); the program, package.json, node_modules
        // and the policy pack are links, so Node resolves every import inside the project itself.
        this.projectDir = options.projectDir ?? PROJECT_DIR;
        copyFileSync(path.join(this.projectDir, "Pulumi.yaml"), path.join(this.dir, "Pulumi.yaml"));
        this.useProgram(options.program);
        for (const entry of ["package.json", "node_modules"]) {
            symlinkSync(path.join(this.projectDir, entry), path.join(this.dir, entry));
        }
        symlinkSync(path.join(PROJECT_DIR, "policy"), path.join(this.dir, "policy"));
        this.env = {
            ...process.env,
            PATH: `${options.engineBin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
            PULUMI_HOME: path.join(backend, ".pulumi"),
            PULUMI_BACKEND_URL: `file://${backend}`,
            PULUMI_CONFIG_PASSPHRASE: "engine-tests",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            NO_COLOR: "1",
            ...options.env,
        };
        this.mustRun(["stack", "init"]);
        this.writeConfig(options.renderMode ? renderModeConfig(options.config, this.renderRoot) : options.config);
    }

    /** Deletes the project, its state and what the providers rendered. */
    remove(): void {
        rmSync(this.root, { recursive: true, force: true });
    }

    /** True when the CLI can start Node.js programs and packs itself (`pulumi-language-nodejs` on PATH). */
    get hasLanguageHost(): boolean {
        return hasNodeLanguageHost(this.env.PATH ?? "");
    }

    /**
     * What to pass as `--policy-pack` for this project's pack: the folder, as users do, or, without a
     * language host, the pack's own launcher (see policy/pulumi-analyzer-policy).
     */
    get policyPack(): string {
        return policyPackPath(this.env.PATH ?? "");
    }

    /** `pulumi <args>` in the project folder, on this stack; `env` adds to the workspace's environment for this command. */
    run(args: string[], env: Record<string, string> = {}): CommandResult {
        const [file, argv] = this.hasLanguageHost
            ? ["pulumi", [...args, "--stack", this.stack]]
            : [process.execPath, [PROGRAM_HOST, ...args, "--stack", this.stack]];
        const started = performance.now();
        const result = spawnSync(file, argv, { cwd: this.dir, env: { ...this.env, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        if (result.error) {
            throw result.error;
        }
        return { status: result.status, stdout: result.stdout, stderr: result.stderr, seconds: (performance.now() - started) / 1000 };
    }

    /** Like run(), but a non-zero exit fails the test with the CLI's own output. */
    mustRun(args: string[], env: Record<string, string> = {}): CommandResult {
        const result = this.run(args, env);
        if (result.status !== 0) {
            throw new Error(`pulumi ${args.join(" ")} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
        }
        return result;
    }

    /** The stack file, Pulumi.<stack>.yaml, as the CLI keeps it. */
    get stackFile(): string {
        return path.join(this.dir, `Pulumi.${this.stack}.yaml`);
    }

    /** Replaces the stack's config (keeping the passphrase salt `stack init` wrote). */
    writeConfig(config: Record<string, unknown>): void {
        const settings = (parse(readFileSync(this.stackFile, "utf8")) ?? {}) as Record<string, unknown>;
        writeFileSync(this.stackFile, stringify({ ...settings, config }));
    }

    /**
     * Runs `program` (a test fixture) from the next command on, or this project's program when
     * undefined: the same stack, state and config under another program, as after a user's upgrade.
     */
    useProgram(program: string | undefined): void {
        const main = projectMain(this.projectDir);
        rmSync(path.join(this.dir, main), { force: true });
        symlinkSync(program ?? path.join(this.projectDir, main), path.join(this.dir, main));
    }

    /** The resources in the stack's state (`pulumi stack export`). */
    resources(): StateResource[] {
        const exported = JSON.parse(this.mustRun(["stack", "export"]).stdout) as { deployment: { resources?: StateResource[] } };
        return exported.deployment.resources ?? [];
    }
}

export interface StateResource {
    urn: string;
    type: string;
    /** The parent's URN. */
    parent?: string;
    /** The provider reference, `<provider URN>::<provider id>`. */
    provider?: string;
    protect?: boolean;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
}
