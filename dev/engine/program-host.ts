// Runs one `pulumi` command with this project's program served in-process.
//
// Why: the CLI starts a Node.js program through the language host `pulumi-language-nodejs`, a Go
// module the Go proxy reachable here refuses to serve (403 for every version, see
// scripts/pulumi-engine). The CLI can instead connect to a language runtime that is already running
// (`--client`, the mechanism of Pulumi's Automation API for inline programs). This tool starts the
// Node SDK's own runtime server, hands it the program named by `main` in Pulumi.yaml, runs
// `pulumi <args> --client=<address>` and exits with the CLI's status. Engine, providers, state and
// policy packs are the real ones; only the process that hosts the program differs.
//
// Usage: node dev/engine/program-host.ts <any pulumi command> [flags...], in the project's directory
// (the one holding Pulumi.yaml), with `pulumi` on PATH. Commands that do not run the program pass through.
import { spawn } from "node:child_process";
import { enableCompileCache } from "node:module";
import path from "node:path";
import type { UntypedServiceImplementation } from "@grpc/grpc-js";
import { projectMain } from "./project-main.ts";

// As index.ts does for the program: the SDK this host loads is most of its start, and the host
// starts on every command (see index.ts on Node's compile cache; imported after it is on).
enableCompileCache();
const { programOf, serveLanguageRuntime } = await import("./language-runtime.ts");
const { LanguageServer } = await import("@pulumi/pulumi/automation/server.js");
const { default: languageGrpc } = await import("@pulumi/pulumi/proto/language_grpc_pb.js");

/** The commands that run the program; every other command passes straight through to `pulumi`. */
const PROGRAM_COMMANDS = new Set(["preview", "up", "update", "destroy", "refresh"]);

async function listen(entry: string): Promise<{ address: string; stop: (failed: boolean) => void }> {
    const languageServer = new LanguageServer(programOf(entry));
    const { server, port } = await serveLanguageRuntime(languageGrpc.LanguageRuntimeService, languageServer as unknown as UntypedServiceImplementation);
    return {
        address: `127.0.0.1:${port}`,
        stop: (failed) => {
            languageServer.onPulumiExit(failed);
            server.forceShutdown();
        },
    };
}

/** Runs `pulumi <args>`, with the program served in-process when the command runs it. */
async function main(args: string[]): Promise<number> {
    if (args.length === 0) {
        process.stderr.write("usage: node dev/engine/program-host.ts <pulumi command> [flags...]\n");
        return 64;
    }
    const runsProgram = PROGRAM_COMMANDS.has(args[0] ?? "");
    const host = runsProgram ? await listen(path.resolve(process.cwd(), projectMain(process.cwd()))) : undefined;
    const hostArgs = host ? [`--client=${host.address}`, "--exec-kind", "auto.inline"] : [];
    // The CLI's output goes through pipes of its own: sharing ours would hand it a descriptor Node
    // made non-blocking, and the CLI then drops output past the pipe's buffer (seen: `--json` cut at 146 kB).
    const cli = spawn("pulumi", [...args, ...hostArgs], { stdio: ["inherit", "pipe", "pipe"] });
    cli.stdout.pipe(process.stdout);
    cli.stderr.pipe(process.stderr);
    const status = await new Promise<number>((resolve, reject) => {
        cli.on("error", reject);
        cli.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
    host?.stop(status !== 0);
    return status;
}

process.exitCode = await main(process.argv.slice(2));
