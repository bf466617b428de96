// The app in each pod of the local data plane, in place of the helloworld image (no image can be
// pulled here): it answers as Istio's sample does, "Hello version: v1, instance: <pod name>", on
// every path but /health, which answers 200 without a body to parse, /headers and /received. It runs inside the
// pod's network namespace, so every request reaches it through the pod's sidecar, as in a cluster.
//
// Faults come from a JSON file the data plane's folder holds (`{ "<version>": Fault }`), read again
// whenever it changes, so a test can make one version fail or slow down without restarting a pod.
//
// Usage: node dev/dataplane/workload-app.ts --version v1 --instance <pod> --port 5000 --faults <file>
import { readFileSync, statSync } from "node:fs";
import http from "node:http";
import { parseArgs } from "node:util";
import { sampleBody } from "../sample-server/server.ts";
import { HEADERS_PATH, RECEIVED_PATH, type Received } from "./dataplane-files.ts";
import { evenShare, type Fault } from "./faults.ts";

const HEALTH_PATH = "/health";

const { values } = parseArgs({
    options: {
        version: { type: "string" },
        instance: { type: "string" },
        port: { type: "string" },
        faults: { type: "string" },
    },
    strict: true,
});
const { version, instance, faults: faultsFile } = values;
const port = Number(values.port);
if (version === undefined || instance === undefined || faultsFile === undefined || !Number.isInteger(port)) {
    console.error("usage: workload-app.ts --version <v> --instance <pod> --port <n> --faults <file>");
    process.exit(64);
}

let faultsRead = { mtimeMs: -1, fault: undefined as Fault | undefined };
/** This version's fault now; the file is parsed again only when its mtime moved. */
function currentFault(): Fault | undefined {
    let mtimeMs: number;
    try {
        mtimeMs = statSync(faultsFile as string).mtimeMs;
    } catch {
        return undefined;
    }
    if (mtimeMs !== faultsRead.mtimeMs) {
        const all = JSON.parse(readFileSync(faultsFile as string, "utf8")) as Record<string, Fault>;
        faultsRead = { mtimeMs, fault: all[version as string] };
    }
    return faultsRead.fault;
}

// Fire-and-forget requests (a mirror's copies) have their answers dropped by Envoy: only the app can
// tell that they arrived, and with which Host.
const received: Received["hosts"] = {};

const fails = evenShare();
const slows = evenShare();
const server = http.createServer((req, res) => {
    if (req.url === HEALTH_PATH) {
        res.writeHead(200).end();
        return;
    }
    if (req.url === RECEIVED_PATH) {
        const body: Received = { version, instance, hosts: received };
        res.writeHead(200, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
        return;
    }
    const host = req.headers.host ?? "";
    received[host] = (received[host] ?? 0) + 1;
    // What reached the app, as httpbin's /headers shows it: behind a sidecar, the client's identity
    // in x-forwarded-client-cert, which only a mutual TLS connection into the sidecar can give; and
    // which pod it reached.
    if (req.url === HEADERS_PATH) {
        res.writeHead(200, { "content-type": "application/json" }).end(`${JSON.stringify({ headers: req.headers, version, instance })}\n`);
        return;
    }
    const fault = currentFault();
    // A 500, as an app's own failure is: Envoy answers 503 itself (no healthy upstream, a reset), and
    // a test must tell the canary's fault from the mesh's.
    if (fails(fault?.errorRate ?? 0)) {
        res.writeHead(500, { "content-type": "text/plain" }).end("fault injected by the test\n");
        return;
    }
    const answer = () => res.writeHead(200, { "content-type": "text/plain" }).end(sampleBody(version, instance));
    if (slows(fault?.slowRate ?? 0)) {
        const timer = setTimeout(answer, fault?.slowMs ?? 1000);
        res.on("close", () => clearTimeout(timer));
        return;
    }
    answer();
});
// Longer than Envoy's idle timeout for upstream connections would be ideal; Node's default 5 s
// closes pooled connections under the sidecar, which Envoy then retries on a new one.
server.keepAliveTimeout = 65_000;
server.listen(port, "0.0.0.0");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
