// The language plugin as the Pulumi CLI starts it (sdk/go/common/resource/plugin, v3.274.1): the
// launcher installed in a PULUMI_HOME, run with flags and the engine's address last, in its own
// process group; it prints its port as the first line, answers what `up` asks before any Run, says
// UNIMPLEMENTED where the CLI falls back, and ends on the SIGINT the CLI sends its group. Run itself
// needs an engine: test/clusters runs it through `pulumi up`.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { credentials, type ServiceError, status } from "@grpc/grpc-js";
import languageGrpc from "@pulumi/pulumi/proto/language_grpc_pb.js";
import languageProto, { type AboutResponse, type GetRequiredPackagesResponse, type GetRequiredPluginsResponse } from "@pulumi/pulumi/proto/language_pb.js";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb.js";
import { version as sdkVersion } from "@pulumi/pulumi/version.js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installLanguageHost } from "../../../dev/engine/language-host-plugin.ts";

let home: string;
let host: ChildProcess;
let client: InstanceType<typeof languageGrpc.LanguageRuntimeClient>;
let firstLine: string;

function unary<T>(call: (callback: (err: ServiceError | null, value: T) => void) => unknown): Promise<T> {
    return new Promise((resolve, reject) => {
        call((err, value) => (err ? reject(err) : resolve(value)));
    });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), "hwg-language-host-"));
    const launcher = installLanguageHost(home);
    // What ExecPlugin runs: flags first, the engine's address last, in a process group of its own.
    host = spawn(launcher, ["--logtostderr", "-v=3", "--tracing", "127.0.0.1:9", "127.0.0.1:1"], { cwd: home, detached: true, stdio: ["pipe", "pipe", "inherit"] });
    const lines = createInterface({ input: host.stdout as NodeJS.ReadableStream });
    firstLine = await new Promise<string>((resolve, reject) => {
        lines.once("line", resolve);
        host.once("exit", (code) => reject(new Error(`the host exited ${code} before printing its port`)));
    });
    client = new languageGrpc.LanguageRuntimeClient(`127.0.0.1:${firstLine}`, credentials.createInsecure());
});

afterAll(() => {
    client?.close();
    if (host?.exitCode === null && host.signalCode === null && host.pid !== undefined) {
        process.kill(-host.pid, "SIGKILL");
    }
    rmSync(home, { recursive: true, force: true });
});

describe("pulumi-language-nodejs (dev/engine/language-host.ts)", () => {
    it("is installed where the CLI's plugin cache keeps a language plugin", () => {
        expect(path.relative(home, installLanguageHost(home))).toBe(path.join("plugins", `language-nodejs-v${sdkVersion}`, "pulumi-language-nodejs"));
    });

    it("prints its gRPC port, and nothing else, as its first line", () => {
        expect(firstLine).toMatch(/^\d+$/);
    });

    it("reports the SDK's version as its own", async () => {
        const info = await unary<PluginInfo>((cb) => client.getPluginInfo(new Empty(), cb));
        expect(info.getVersion()).toBe(sdkVersion);
    });

    it("tells About the Node it runs on", async () => {
        const about = await unary<AboutResponse>((cb) => client.about(new languageProto.AboutRequest(), cb));
        expect([about.getExecutable(), about.getVersion()]).toEqual([process.execPath, process.versions.node]);
    });

    it("answers GetRequiredPlugins with no plugin, and GetRequiredPackages with UNIMPLEMENTED (the CLI then asks the former)", async () => {
        const plugins = await unary<GetRequiredPluginsResponse>((cb) => client.getRequiredPlugins(new languageProto.GetRequiredPluginsRequest(), cb));
        expect(plugins.getPluginsList()).toEqual([]);
        const packages = unary<GetRequiredPackagesResponse>((cb) => client.getRequiredPackages(new languageProto.GetRequiredPackagesRequest(), cb));
        await expect(packages).rejects.toMatchObject({ code: status.UNIMPLEMENTED });
    });

    it("ends on SIGINT to its process group, as the CLI stops a plugin", async () => {
        const exit = exited(host);
        process.kill(-(host.pid as number), "SIGINT");
        expect(await exit).toEqual({ code: null, signal: "SIGINT" });
    });
});
