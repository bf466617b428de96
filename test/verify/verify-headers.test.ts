// verify --header: the header (or cookie) a route to testers matches goes with every request, and
// --expect v2=100 then checks that every answer came from that version. A local server stands in for a
// route with a header match (the real route is checked through Envoy in test/traffic/routing.test.ts).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTool } from "../support/run-tool.ts";
import { verifyCaptured } from "./run-verify.ts";

describe("verify --header", () => {
    let server: http.Server;
    let url: string;

    beforeAll(async () => {
        let n = 0;
        // Testers (x-canary: always, or the cookie user=tester) get v2; everyone else a 50/50 mix.
        server = http.createServer((req, res) => {
            const tester = req.headers["x-canary"] === "always" || /(^|;\s*)user=tester(;|$)/.test(req.headers.cookie ?? "");
            res.end(`Hello version: ${tester || n++ % 2 === 0 ? "v2" : "v1"}, instance: local\n`);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hello`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it.each([["x-canary: always"], ["Cookie: theme=dark; user=tester"]])("with %j, finds every answer from v2", async (header) => {
        const run = await verifyCaptured(["--url", url, "--expect", "v1=0,v2=100", "--header", header]);
        expect(run.report?.verdict).toBe("match");
        expect(run.exitCode).toBe(0);
    });

    it("without it, finds the untargeted mix and fails v2=100", async () => {
        const run = await verifyCaptured(["--url", url, "--expect", "v1=0,v2=100"]);
        expect(run.report?.verdict).toBe("mismatch");
        expect(run.exitCode).toBe(1);
    });

    it.each([
        ["x-canary", "--header 'x-canary' is invalid: use 'name: value', e.g. --header 'x-canary: always' or --header 'cookie: user=tester'"],
        ["Host: example.com", "--header 'Host: example.com': give the Host header with --host"],
    ])("refuses %j as a usage error (exit 64)", (header, message) => {
        const run = runTool("verify", ["--url", url, "--expect", "v2=100", "--header", header]);
        expect(run.status).toBe(64);
        expect(run.stderr).toContain(message);
    });
});
