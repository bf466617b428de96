// index.ts when a cluster's API server is down: it must stop before registering anything, naming the
// cluster by its config name.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { devStackConfig } from "./support/dev-stack.ts";
import { mockProgramRun } from "./support/program-mocks.ts";

async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

describe("index.ts with an unreachable cluster", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hwg-unreachable-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("fails with a RunError naming mdemo-cluster2, and registers nothing", async () => {
        const listening = createServer((socket) => socket.destroy());
        await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
        try {
            const up = (listening.address() as { port: number }).port;
            const down = await closedPort();
            const file = path.join(dir, "kubeconfig");
            writeFileSync(file, stringify({
                apiVersion: "v1",
                kind: "Config",
                contexts: [1, 2].map((i) => ({ name: `mdemo-cluster${i}`, context: { cluster: `c${i}`, user: "admin" } })),
                clusters: [{ name: "c1", cluster: { server: `https://127.0.0.1:${up}` } }, { name: "c2", cluster: { server: `https://127.0.0.1:${down}` } }],
            }));
            process.env.KUBECONFIG = file;
            const registered = await mockProgramRun(devStackConfig());
            const run = import("../index.ts");
            await expect(run).rejects.toBeInstanceOf(pulumi.RunError);
            await expect(run).rejects.toThrow(new RegExp(`^Cluster "mdemo-cluster2" is unreachable; nothing was changed in any cluster\\.\\n {2}- cluster "mdemo-cluster2" \\(context mdemo-cluster2, https://127\\.0\\.0\\.1:${down}\\): connect ECONNREFUSED`));
            expect(registered).toEqual([]);
        } finally {
            await new Promise((resolve) => listening.close(resolve));
        }
    });
});
