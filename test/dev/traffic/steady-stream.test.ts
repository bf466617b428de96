// A steady stream of requests stops once, however often it is told to: a test stops it itself and
// its afterAll stops it again, and the second call must neither throw nor lose what was seen.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { steadyStream } from "../../../dev/traffic/requests.ts";

let server: http.Server;
let url: string;

beforeAll(async () => {
    server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("Hello version: v1, instance: one\n"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hello`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("returns the same tally from a second stop(), without throwing", async () => {
    const stream = steadyStream(url, { clients: 2, intervalMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const first = await stream.stop();
    expect(first.versions.get("v1")).toBeGreaterThan(0);
    await expect(stream.stop()).resolves.toBe(first);
});
