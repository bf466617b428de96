// The Node SDK's language runtime server, the one Pulumi's Automation API serves inline programs
// with, is marked @internal: its published typings are empty. These are the members program-host.ts
// and language-host.ts use; test/engine and test/clusters run them against the real CLI, so a change
// upstream fails there first.
declare module "@pulumi/pulumi/automation/server.js" {
    import type { sendUnaryData, ServerUnaryCall } from "@grpc/grpc-js";
    import type { RunRequest, RunResponse } from "@pulumi/pulumi/proto/language_pb.js";

    export class LanguageServer {
        constructor(program: () => Promise<Record<string, unknown>>);
        /** pulumirpc.LanguageRuntime/Run: runs the program once, against the request's monitor. */
        run(call: ServerUnaryCall<RunRequest, RunResponse>, callback: sendUnaryData<RunResponse>): Promise<void>;
        /** Reports promises the program left running; call once the CLI has exited. */
        onPulumiExit(hasError: boolean): void;
    }
}
