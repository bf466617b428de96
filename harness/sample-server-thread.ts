// Runs a sample server on its own thread (its own core), so a load test measures the client, not a
// client and a server fighting over one event loop.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { startSampleServer, type SampleServerSpec } from "../dev/sample-server/server.ts";

export interface ThreadedSampleServer {
    url: string;
    close(): Promise<void>;
}

export async function startSampleServerThread(spec: SampleServerSpec): Promise<ThreadedSampleServer> {
    const worker = new Worker(new URL(import.meta.url), { workerData: spec });
    const url = await new Promise<string>((resolve, reject) => {
        worker.once("message", (message: { url: string }) => resolve(message.url));
        worker.once("error", reject);
    });
    return {
        url,
        close: async () => {
            worker.postMessage("close");
            await new Promise((resolve) => worker.once("exit", resolve));
        },
    };
}

if (!isMainThread && parentPort !== null) {
    const port = parentPort;
    const server = await startSampleServer(workerData as SampleServerSpec);
    port.on("message", () => {
        void server.close().then(() => port.close());
    });
    port.postMessage({ url: server.url });
}
