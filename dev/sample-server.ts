// `npm run sample-server`: a stand-in for the ingress in front of Istio's helloworld sample, on this
// machine only, so that `npm run verify` can be tried (and its verdicts seen) without a mesh.
import { readFileSync } from "node:fs";
import { ToolError, UsageError } from "../tools/command/errors.ts";
import { exitStatusHelp } from "../tools/command/exit-codes.ts";
import { numberFlag } from "../tools/command/flags.ts";
import { defineCommand, runMain } from "../tools/command/run-command.ts";
import { parseExpect } from "../tools/verify/expected.ts";
import { startSampleServer, type SampleServer } from "./sample-server/server.ts";

const USAGE = "Usage: npm run sample-server -- --split v1=80,v2=20 [--port <n>] [--error-rate <r>]";

const HELP = `Answers GET /hello on 127.0.0.1 the way Istio's helloworld sample does ("Hello version: v1, ..."),
each request from a version drawn at random by the split, until stopped with Ctrl-C (or SIGTERM, SIGHUP,
or its parent process going away).

  --split <v=pct,...>   the versions and their percentages, adding up to 100 (required)
  --port <n>            the port on 127.0.0.1 (default: a free one)
  --error-rate <r>      the share of requests answered with HTTP 503, from 0 up to 1 (default 0)
  -h, --help            show this help

${exitStatusHelp({ ok: "served until stopped", toolError: "tool error (cannot listen on the port)" })}`;

/** How often the server looks whether the process that started it is still there. */
const PARENT_POLL_MS = 500;

/** This process's parent as the kernel has it now (process.ppid is read once, at start); undefined where /proc cannot tell. */
function currentParent(): number | undefined {
    try {
        // /proc/self/stat: "pid (comm) state ppid ...", and comm may hold spaces and parentheses.
        const stat = readFileSync("/proc/self/stat", "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
        return undefined;
    }
}

/** Whether the process that started this one has gone: it ended, and this one was handed to another parent. */
function parentGone(parent: number): boolean {
    const now = currentParent();
    if (now !== undefined) {
        return now !== parent;
    }
    try {
        process.kill(parent, 0);
        return false;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
}

/**
 * Resolves once the server should stop: on Ctrl-C, SIGTERM or SIGHUP, or when its parent goes. Killing
 * a backgrounded `npm run sample-server` ends npm and the shell it ran, not this process: the server
 * follows its parent instead of serving on, orphaned, on its port.
 */
function stopRequested(): Promise<void> {
    const parent = process.ppid;
    return new Promise((resolve) => {
        const poll = setInterval(() => {
            if (parentGone(parent)) {
                resolve();
            }
        }, PARENT_POLL_MS);
        poll.unref();
        for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
            process.once(signal, () => resolve());
        }
    });
}

const sampleServerCommand = defineCommand({
    name: "sample-server",
    usage: USAGE,
    help: HELP,
    flags: {
        split: { type: "string" },
        port: { type: "string", default: "0" },
        "error-rate": { type: "string", default: "0" },
    },
    options({ values }) {
        if (values.split === undefined) {
            throw new UsageError("--split is required, e.g. --split v1=80,v2=20");
        }
        const port = Number(values.port);
        if (!/^\d+$/.test(values.port) || port > 65535) {
            throw new UsageError(`--port '${values.port}' is invalid: use a port number from 1 to 65535 (or 0 for a free one)`);
        }
        const errorRate = numberFlag("--error-rate", values["error-rate"], (v) => v >= 0 && v < 1, "a share from 0 up to (not including) 1, e.g. 0.1");
        return { split: parseExpect(values.split, "--split"), port, errorRate };
    },
    async run({ split, port, errorRate }, io) {
        // Listening for the stop before the URL is printed: whoever reads the URL may stop the server at once.
        const stop = stopRequested();
        let server: SampleServer;
        try {
            server = await startSampleServer({
                mix: [
                    ...split.map((s) => ({ answer: s.version, weight: s.share * (1 - errorRate) })),
                    ...(errorRate > 0 ? [{ answer: "!503", weight: errorRate }] : []),
                ],
                // A new draw sequence every run, as a real ingress gives.
                seed: Math.floor(Math.random() * 2 ** 32),
                port,
            });
        } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            throw new ToolError(`cannot listen on 127.0.0.1:${port}: ${code === "EADDRINUSE" ? "the port is in use" : (err as Error).message}`);
        }
        const mix = split.map((s) => `${s.version} ${+(s.share * 100).toFixed(6)}%`).join(", ");
        io.stdout.write(`sample server at ${server.url}: ${mix}${errorRate > 0 ? `, ${+(errorRate * 100).toFixed(6)}% of requests answered 503` : ""}; Ctrl-C stops it\n`);
        await stop;
        await server.close();
        return 0;
    },
});

await runMain(sampleServerCommand);
