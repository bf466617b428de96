// What program-host.ts and language-host.ts share: the project's program as the Node SDK's language
// runtime (`LanguageServer`, the one Pulumi's Automation API serves inline programs with) runs it,
// and a gRPC server for the LanguageRuntime service on a port of the kernel's choosing.
//
// Import it after enableCompileCache(): it loads gRPC, the bulk of a host's start.
import { pathToFileURL } from "node:url";
import * as grpc from "@grpc/grpc-js";

/**
 * Imports the program inside the stack the runtime set up; its exports become the stack outputs.
 * `pulumi up` runs the program twice (preview, then update) in one host, and an ES module runs once
 * per URL, so every run imports the entry under a URL of its own.
 */
export function programOf(entry: string): () => Promise<Record<string, unknown>> {
    let runs = 0;
    return async () => {
        const url = new URL(pathToFileURL(entry).href);
        url.searchParams.set("run", String(++runs));
        return { ...(await import(url.href) as Record<string, unknown>) };
    };
}

export interface BoundServer {
    server: grpc.Server;
    port: number;
}

/** Serves `implementation` as pulumirpc.LanguageRuntime on 127.0.0.1; methods it leaves out answer UNIMPLEMENTED. */
export async function serveLanguageRuntime(service: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): Promise<BoundServer> {
    const server = new grpc.Server();
    server.addService(service, implementation);
    const port = await new Promise<number>((resolve, reject) => {
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) => {
            if (err) reject(err); else resolve(bound);
        });
    });
    return { server, port };
}
