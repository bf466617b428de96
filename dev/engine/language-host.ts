// `pulumi-language-nodejs` for this project: the language plugin the Pulumi CLI starts to run a
// Node.js program, served by the Node SDK's own runtime (as program-host.ts serves it).
//
// Why: the CLI's own Node.js language host is a Go module the Go proxy reachable here refuses to
// serve (403, see scripts/pulumi-engine), and without one `pulumi preview` stops with "no language
// plugin 'pulumi-language-nodejs' found". program-host.ts gets around that for the tests by wrapping
// each command; a user typing `pulumi up` needs the plugin itself. language-host-plugin.ts installs a
// launcher that runs this file where the CLI looks for plugins.
//
// How the CLI runs a language plugin (sdk/go/common/resource/plugin, v3.274.1): it executes it in the
// project folder with `[--logtostderr] [-v=<n>] [--tracing <endpoint>] <engine address>` (the
// address always last), reads one line from stdout, the gRPC port, then checks the connection and
// calls pulumirpc.LanguageRuntime. `preview`, `up`, `refresh` and `destroy` call GetRequiredPackages
// (UNIMPLEMENTED here: the CLI falls back to GetRequiredPlugins, which lists none, and finds the
// Kubernetes provider on PATH); `preview` and `up` then call Run, and About in another host process
// of their own, for the update's metadata; `refresh` and `destroy` do not run the program. `up`
// starts a host for its preview and another for its update (seen: two pids), so each host runs
// the program once, but nothing in the protocol says so: every run imports it afresh. Every method left out answers UNIMPLEMENTED,
// which the CLI takes as "not supported" where it has a fallback. The CLI stops the plugin with
// SIGINT to its process group, which ends Node.
import { enableCompileCache } from "node:module";
import path from "node:path";
import type { sendUnaryData, ServerUnaryCall } from "@grpc/grpc-js";
import type { LanguageServer } from "@pulumi/pulumi/automation/server.js";
import type { AboutResponse, GetRequiredPluginsResponse, RunRequest, RunResponse } from "@pulumi/pulumi/proto/language_pb.js";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb.js";
import { projectMain } from "./project-main.ts";

// The CLI starts this host four times per `up` (seen; About, the preview's and the update's runs
// among them), once per `destroy`; the compile cache keeps the SDK's compiled code between starts
// (see index.ts), and only a host that runs the program loads the SDK.
enableCompileCache();
const { programOf, serveLanguageRuntime } = await import("./language-runtime.ts");
const { default: languageGrpc } = await import("@pulumi/pulumi/proto/language_grpc_pb.js");
// Generated CommonJS that fills `exports` at run time: Node sees no named exports in it.
const { default: languageProto } = await import("@pulumi/pulumi/proto/language_pb.js");
const { default: pluginProto } = await import("@pulumi/pulumi/proto/plugin_pb.js");
const { version: sdkVersion } = await import("@pulumi/pulumi/version.js");

/** The engine's address: the CLI passes it last, after any logging and tracing flags. */
const engineAddress = process.argv.at(-1) ?? "";

/**
 * The SDK, loaded when the first Run comes: About and GetRequiredPlugins, all the CLI asks its
 * second host, answer without it.
 */
interface Sdk {
    LanguageServer: typeof LanguageServer;
    runtimes: Map<string, LanguageServer>;
    /** Whether the current run has logged an error (the SDK counts them per run). */
    hasErrors: () => boolean;
}

let sdk: Promise<Sdk> | undefined;

function loadSdk(): Promise<Sdk> {
    sdk ??= Promise.all([import("@pulumi/pulumi/automation/server.js"), import("@pulumi/pulumi/log/index.js")])
        .then(([server, log]) => ({ LanguageServer: server.LanguageServer, runtimes: new Map(), hasErrors: log.hasErrors }));
    return sdk;
}

/** One SDK runtime per program, for all of this host's runs. */
async function runtimeFor(entry: string): Promise<{ runtime: LanguageServer; hasErrors: () => boolean }> {
    const { LanguageServer, runtimes, hasErrors } = await loadSdk();
    let runtime = runtimes.get(entry);
    if (runtime === undefined) {
        runtime = new LanguageServer(programOf(entry));
        runtimes.set(entry, runtime);
    }
    return { runtime, hasErrors };
}

/**
 * The SDK's runtime answers a failed run with a gRPC error (and then a second time, with a
 * response), which the CLI prints as one more error, "an unhandled error occurred", after those the
 * program logged. The CLI's own host answers with a RunResponse instead, as this does: `bail` when
 * the run has logged errors (the SDK logs every uncaught one), so the CLI prints them once;
 * `error` when it has not, so the failure is never silent. `hasErrors` is asked inside the callback,
 * which the SDK calls within the run's own async context.
 */
function asRunResponse(callback: sendUnaryData<RunResponse>, hasErrors: () => boolean): sendUnaryData<RunResponse> {
    let answered = false;
    return (err, response) => {
        if (answered) {
            return;
        }
        answered = true;
        if (err === null || err === undefined) {
            callback(null, response);
            return;
        }
        const failed = new languageProto.RunResponse();
        if (hasErrors()) {
            failed.setBail(true);
        } else {
            failed.setError(err instanceof Error ? err.message : (err.details ?? "the program failed"));
        }
        callback(null, failed);
    };
}

async function runProgram(call: ServerUnaryCall<RunRequest, RunResponse>, callback: sendUnaryData<RunResponse>): Promise<void> {
    const request = call.request;
    const root = request.getInfo()?.getRootDirectory() || request.getPwd();
    const { runtime, hasErrors } = await runtimeFor(path.resolve(root, projectMain(root)));
    // The program reads relative paths from the folder the CLI runs it in, as under the CLI's own host.
    process.chdir(request.getPwd() || root);
    // The SDK's runtime takes the engine's address from the first argument (the Automation API's
    // convention); with it the program's log messages and errors reach the engine.
    request.setArgsList([engineAddress, ...request.getArgsList()]);
    await runtime.run(call, asRunResponse(callback, hasErrors));
}

const implementation = {
    getPluginInfo(_call: ServerUnaryCall<unknown, PluginInfo>, callback: sendUnaryData<PluginInfo>): void {
        callback(null, new pluginProto.PluginInfo().setVersion(sdkVersion));
    },
    getRequiredPlugins(_call: ServerUnaryCall<unknown, GetRequiredPluginsResponse>, callback: sendUnaryData<GetRequiredPluginsResponse>): void {
        callback(null, new languageProto.GetRequiredPluginsResponse().setPluginsList([]));
    },
    about(_call: ServerUnaryCall<unknown, AboutResponse>, callback: sendUnaryData<AboutResponse>): void {
        callback(null, new languageProto.AboutResponse().setExecutable(process.execPath).setVersion(process.versions.node));
    },
    run(call: ServerUnaryCall<RunRequest, RunResponse>, callback: sendUnaryData<RunResponse>): void {
        // Before the SDK runs anything (e.g. no Pulumi.yaml): a failure of the host, for the CLI to print.
        runProgram(call, callback).catch((err: unknown) => {
            callback(null, new languageProto.RunResponse().setError(err instanceof Error ? err.message : String(err)));
        });
    },
};

const { port } = await serveLanguageRuntime(languageGrpc.LanguageRuntimeService, implementation);
// The CLI reads exactly this line before anything else the host prints.
process.stdout.write(`${port}\n`);
