// The Node SDK's language runtime server, the one Pulumi's Automation API serves inline programs
// with, is marked @internal: its published typings are empty. These are the members program-host.ts
// uses; test/engine runs them against the real CLI, so a change upstream fails there first.
declare module "@pulumi/pulumi/automation/server.js" {
    export class LanguageServer {
        constructor(program: () => Promise<Record<string, unknown>>);
        /** Reports promises the program left running; call once the CLI has exited. */
        onPulumiExit(hasError: boolean): void;
    }
}
