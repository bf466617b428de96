// `npm run sample-server` as a user runs it: it prints its URL, serves the split it was given, and
// `npm run verify` judges it like an ingress.
import { spawn, type ChildProcess } from "node:child_process";
import { connect, createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../support/dev-stack.ts";
import { runScript } from "../support/run-tool.ts";
import { verifyCaptured } from "../verify/run-verify.ts";

const started: ChildProcess[] = [];
afterEach(async () => {
    await Promise.all(started.splice(0).map((child) => new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
            resolve(undefined);
            return;
        }
        child.once("exit", resolve);
        child.kill("SIGKILL");
    })));
});

/** Process groups to end after each test: what a test started through npm, whatever became of it. */
const groups: number[] = [];
afterEach(() => {
    for (const group of groups.splice(0)) {
        try {
            process.kill(-group, "SIGKILL");
        } catch {
            // Every process of the group has ended.
        }
    }
});

/** Starts the server and resolves with its first line of output (it names the URL). */
function startServer(args: string[]): Promise<{ child: ChildProcess; line: string }> {
    return firstLine(spawn(process.execPath, ["dev/sample-server.ts", ...args], { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "pipe"] }));
}

function firstLine(child: ChildProcess): Promise<{ child: ChildProcess; line: string }> {
    started.push(child);
    return new Promise((resolve, reject) => {
        let out = "";
        let err = "";
        child.stdout?.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            const end = out.indexOf("\n");
            if (end >= 0) {
                resolve({ child, line: out.slice(0, end) });
            }
        });
        child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
        child.once("exit", (code) => reject(new Error(`sample-server exited ${code}: ${err}`)));
    });
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = connect({ host: "127.0.0.1", port });
        socket.once("connect", () => {
            socket.destroy();
            resolve(true);
        });
        socket.once("error", () => resolve(false));
    });
}

function urlIn(line: string): string {
    const url = /http:\/\/127\.0\.0\.1:\d+\/hello/.exec(line)?.[0];
    expect(url, line).toBeDefined();
    return url ?? "";
}

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
    return new Promise((resolve) => {
        const probe = createServer().listen(0, "127.0.0.1", () => {
            const address = probe.address();
            probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
        });
    });
}

describe("npm run sample-server", () => {
    it("prints its URL and serves the split, which verify then matches", async () => {
        const { line } = await startServer(["--split", "v1=80,v2=20"]);
        expect(line).toMatch(/^sample server at http:\/\/127\.0\.0\.1:\d+\/hello: v1 80%, v2 20%; Ctrl-C stops it$/);
        const body = await (await fetch(urlIn(line))).text();
        expect(body).toMatch(/^Hello version: v[12], instance: helloworld-v[12]-/);
        const run = await verifyCaptured(["--url", urlIn(line), "--expect", "v1=80,v2=20"]);
        expect(run.report?.verdict).toBe("match");
    });

    it("listens on --port and answers 503 at --error-rate", async () => {
        const port = await freePort();
        const { line } = await startServer(["--split", "v1=50,v2=50", "--port", String(port), "--error-rate", "0.5"]);
        expect(urlIn(line)).toBe(`http://127.0.0.1:${port}/hello`);
        expect(line).toContain("50% of requests answered 503");
        const statuses = await Promise.all(Array.from({ length: 200 }, async () => (await fetch(urlIn(line))).status));
        const errors = statuses.filter((s) => s === 503).length;
        expect(errors).toBeGreaterThan(60);
        expect(errors).toBeLessThan(140);
        expect(statuses.filter((s) => s !== 503 && s !== 200)).toEqual([]);
    });

    it("stops on SIGINT with exit 0", async () => {
        const { child } = await startServer(["--split", "v1=100"]);
        const exit = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
        child.kill("SIGINT");
        expect(await exit).toBe(0);
    });

    it.each(["SIGTERM", "SIGINT", "SIGHUP"] as const)("stops when the npm that runs it in the background gets %s", async (signal) => {
        // scripts/npm execs npm, which runs the script through a shell: killing npm leaves that shell's
        // child, the server, to init. In a process group of its own, so afterEach can end whatever is left.
        const npm = spawn(path.join(PROJECT_DIR, "scripts/npm"), ["run", "--silent", "sample-server", "--", "--split", "v1=100"],
            { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "pipe"], detached: true });
        groups.push(npm.pid ?? 0);
        const port = Number(new URL(urlIn((await firstLine(npm)).line)).port);
        expect(await listening(port)).toBe(true);
        process.kill(npm.pid ?? 0, signal);
        const deadline = Date.now() + 5_000;
        while (await listening(port) && Date.now() < deadline) {
            await sleep(100);
        }
        expect(await listening(port)).toBe(false);
    }, 30_000);

    it("a port in use: one line, exit 2", async () => {
        const { line } = await startServer(["--split", "v1=100"]);
        const port = new URL(urlIn(line)).port;
        const run = runScript("dev/sample-server.ts", ["--split", "v1=100", "--port", port]);
        expect(run.status).toBe(2);
        expect(run.stderr).toBe(`sample-server: cannot listen on 127.0.0.1:${port}: the port is in use\n`);
    });

    it.each<[string[], RegExp]>([
        [[], /^sample-server: --split is required, e.g. --split v1=80,v2=20$/],
        [["--split", "v1=80,v2=30"], /^sample-server: --split 'v1=80,v2=30' adds up to 110, not 100/],
        [["--split", "v1=100", "--error-rate", "1.5"], /^sample-server: --error-rate '1.5' is invalid/],
        [["--split", "v1=100", "--port", "http"], /^sample-server: --port 'http' is invalid/],
        [["--splitt", "v1=100"], /^sample-server: Unknown option '--splitt'/],
    ])("%j: usage error, exit 64", (args, message) => {
        const run = runScript("dev/sample-server.ts", args);
        expect(run.status).toBe(64);
        expect(run.stderr.split("\n")[0]).toMatch(message);
        expect(run.stderr).not.toContain("    at ");
    });
});
