// A stand-in for the ingress in front of Istio's helloworld sample: a real Node HTTP server on 127.0.0.1
// that answers each request with a draw from a chosen mix of versions, errors, slow answers, bodies that
// name no version, and dropped connections. `npm run sample-server` serves it for users trying
// `npm run verify` without a mesh; the tests and the benchmark start it with the failure modes too.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { seededRandom, weightedPicker } from "../../tools/verify/random.ts";

/**
 * A version name, or one of the failure modes: "!503" (an error status), "!slow" (v1 after `slowMs`),
 * "!unmatched" (a 200 page that names no version), "!reset" (the connection is dropped).
 */
export type Answer = string;

export interface SampleServerSpec {
    mix: ReadonlyArray<{ answer: Answer; weight: number }>;
    /** Draws are seeded, so a run against the server is repeatable (exactly so at concurrency 1). */
    seed?: number;
    /** "cycle" repeats the weights in a fixed order (whole-number weights), for load tests. */
    order?: "random" | "cycle";
    /** How long a "!slow" answer waits before answering v1. */
    slowMs?: number;
    /** Delay every answer by this much, like the sample burning CPU on each request. */
    delayMs?: number;
    /** Only answer requests with this Host header (404 otherwise), like a host-routed ingress. */
    host?: string;
    /** The port on 127.0.0.1; a free one when absent. */
    port?: number;
    /** Other mixes by URL path, so one server can play several ingresses side by side. */
    routes?: Record<string, { mix: SampleServerSpec["mix"]; order?: "random" | "cycle" }>;
}

export interface SampleServer {
    url: string;
    /** Requests the server has seen. */
    requests(): number;
    close(): Promise<void>;
}

export function sampleBody(version: string, instance = `helloworld-${version}-abc`): string {
    return `Hello version: ${version}, instance: ${instance}\n`;
}

export async function startSampleServer(spec: SampleServerSpec): Promise<SampleServer> {
    const picker = (mix: SampleServerSpec["mix"], order: SampleServerSpec["order"], seed: number) =>
        order === "cycle" ? cycle(mix) : weightedPicker(mix.map((m) => ({ name: m.answer, weight: m.weight })), seededRandom(seed));
    const fallback = picker(spec.mix, spec.order, spec.seed ?? 1);
    const routes = new Map(Object.entries(spec.routes ?? {}).map(([path, r], i) => [path, picker(r.mix, r.order, (spec.seed ?? 1) + i + 1)]));
    let count = 0;
    const server = http.createServer((req, res) => {
        count++;
        if (spec.delayMs !== undefined) {
            const timer = setTimeout(() => answer(req, res), spec.delayMs);
            res.on("close", () => clearTimeout(timer));
            return;
        }
        answer(req, res);
    });
    const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
        if (spec.host !== undefined && req.headers.host !== spec.host) {
            res.writeHead(404).end("no route\n");
            return;
        }
        const drawn = (routes.get(req.url ?? "") ?? fallback)();
        switch (drawn) {
            case "!503":
                res.writeHead(503, { "content-type": "text/plain" }).end("no healthy upstream\n");
                return;
            case "!unmatched":
                res.writeHead(200, { "content-type": "text/html" }).end("<h1>Welcome to nginx!</h1>\n");
                return;
            case "!reset":
                req.socket.destroy();
                return;
            case "!slow": {
                const timer = setTimeout(() => res.writeHead(200).end(sampleBody("v1")), spec.slowMs ?? 1000);
                res.on("close", () => clearTimeout(timer));
                return;
            }
            default:
                res.writeHead(200, { "content-type": "text/plain" }).end(sampleBody(drawn));
        }
    };
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(spec.port ?? 0, "127.0.0.1", () => {
            server.off("error", reject);
            resolve();
        });
    });
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}/hello`,
        requests: () => count,
        close: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}

function cycle(mix: SampleServerSpec["mix"]): () => string {
    const sequence = mix.flatMap((m) => Array.from({ length: m.weight }, () => m.answer));
    let i = 0;
    return () => sequence[i++ % sequence.length] ?? "";
}
