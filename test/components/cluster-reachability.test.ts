import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
    apiServerOf, kubeconfigFiles, probeApiServer, resolveApiServer, unreachableClusters, unreachableMessage,
} from "../../components/cluster-reachability.ts";
import type { ClusterConfig } from "../../config/index.ts";

function kubeconfig(contexts: Record<string, string>, current?: string, proxyUrl?: string): Record<string, unknown> {
    return {
        apiVersion: "v1",
        kind: "Config",
        ...(current ? { "current-context": current } : {}),
        contexts: Object.keys(contexts).map((name) => ({ name, context: { cluster: `${name}-cluster`, user: "u" } })),
        clusters: Object.entries(contexts).map(([name, server]) => ({
            name: `${name}-cluster`,
            cluster: { server, ...(proxyUrl ? { "proxy-url": proxyUrl } : {}) },
        })),
    };
}

const cluster = (over: Partial<ClusterConfig>): ClusterConfig => ({ name: "east", istioConfig: true, workloads: true, ...over });

describe("kubeconfigFiles", () => {
    it.each([
        [{ KUBECONFIG: "/a:/b" }, ["/a", "/b"]],
        [{ KUBECONFIG: "/a::" }, ["/a"]],
    ])("reads $KUBECONFIG %j as %j", (env, files) => {
        expect(kubeconfigFiles(env)).toEqual(files);
    });

    it("falls back to ~/.kube/config", () => {
        expect(kubeconfigFiles({})).toEqual([expect.stringMatching(/\.kube\/config$/)]);
    });
});

describe("apiServerOf", () => {
    const first = kubeconfig({ east: "https://east:6443", shared: "https://first:6443" }, "east");
    const second = kubeconfig({ west: "https://west:6443", shared: "https://second:6443" }, "west", "http://proxy:3128");

    it.each([
        ["east", { server: "https://east:6443" }],
        ["west", { server: "https://west:6443", proxyUrl: "http://proxy:3128" }],
        ["shared", { server: "https://first:6443" }],
        [undefined, { server: "https://east:6443" }],
        ["missing", undefined],
    ])("context %s -> %j (first file wins, as kubectl merges)", (context, expected) => {
        expect(apiServerOf([first, second] as never, context)).toEqual(expected);
    });
});

describe("resolveApiServer", () => {
    let dir: string;
    beforeAll(() => {
        dir = mkdtempSync(path.join(tmpdir(), "hwg-reach-"));
        writeFileSync(path.join(dir, "one"), stringify(kubeconfig({ east: "https://127.0.0.1:1" })));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("finds a context in $KUBECONFIG's files, skipping missing files", () => {
        const env = { KUBECONFIG: [path.join(dir, "missing"), path.join(dir, "one")].join(path.delimiter) };
        expect(resolveApiServer(cluster({ context: "east" }), env)).toEqual({ server: "https://127.0.0.1:1" });
        expect(resolveApiServer(cluster({ context: "west" }), env)).toBeUndefined();
    });

    it("reads a kubeconfig secret's current context", () => {
        const secret = stringify(kubeconfig({ east: "https://10.0.0.1:6443" }, "east"));
        expect(resolveApiServer(cluster({ kubeconfig: secret }), {})).toEqual({ server: "https://10.0.0.1:6443" });
    });

    it("has nothing to say about a cluster in render mode", () => {
        expect(resolveApiServer(cluster({ renderYamlToDirectory: "/tmp/x" }), {})).toBeUndefined();
    });
});

describe("probing API servers", () => {
    let server: Server;
    let openPort: number;
    let closedPort: number;
    let dir: string;

    beforeAll(async () => {
        const listen = () => new Promise<Server>((resolve) => {
            const s = createServer((socket) => socket.destroy());
            s.listen(0, "127.0.0.1", () => resolve(s));
        });
        server = await listen();
        openPort = (server.address() as { port: number }).port;
        // A port that was free a moment ago and that nothing listens on now.
        const closed = await listen();
        closedPort = (closed.address() as { port: number }).port;
        await new Promise((resolve) => closed.close(resolve));
        dir = mkdtempSync(path.join(tmpdir(), "hwg-reach-"));
        writeFileSync(path.join(dir, "config"), stringify(kubeconfig({
            up: `https://127.0.0.1:${openPort}`,
            down: `https://127.0.0.1:${closedPort}`,
        })));
    });
    afterAll(async () => {
        await new Promise((resolve) => server.close(resolve));
        rmSync(dir, { recursive: true, force: true });
    });

    it("connects to a listening server and reports a refused one", async () => {
        await expect(probeApiServer(`https://127.0.0.1:${openPort}`, 2_000)).resolves.toBeUndefined();
        await expect(probeApiServer(`https://127.0.0.1:${closedPort}`, 2_000)).rejects.toThrow(/ECONNREFUSED/);
    });

    it("names every unreachable cluster by its config name, context and server", async () => {
        const env = { KUBECONFIG: path.join(dir, "config") };
        const clusters = [
            cluster({ name: "mdemo-cluster1", context: "up" }),
            cluster({ name: "mdemo-cluster2", context: "down" }),
            cluster({ name: "rendered", renderYamlToDirectory: "/tmp/x" }),
            cluster({ name: "unknown-context", context: "nowhere" }),
        ];
        const unreachable = await unreachableClusters(clusters, { env, timeoutMs: 2_000 });
        expect(unreachable).toEqual([{
            name: "mdemo-cluster2",
            via: "context down",
            server: `https://127.0.0.1:${closedPort}`,
            reason: expect.stringMatching(/ECONNREFUSED/),
        }]);
    });

    it("does not probe a cluster reached through a proxy", async () => {
        const env = { KUBECONFIG: path.join(dir, "config"), HTTPS_PROXY: "http://127.0.0.1:9" };
        expect(await unreachableClusters([cluster({ name: "mdemo-cluster2", context: "down" })], { env, timeoutMs: 2_000 })).toEqual([]);
    });
});

describe("unreachableMessage", () => {
    const down = (name: string, port: number) => ({ name, via: `context ${name}`, server: `https://127.0.0.1:${port}`, reason: `connect ECONNREFUSED 127.0.0.1:${port}` });

    it("names the cluster in its first line, then lists it, says that nothing changed and what to do", () => {
        expect(unreachableMessage([down("mdemo-cluster2", 16444)])).toMatchInlineSnapshot(`
          "Cluster "mdemo-cluster2" is unreachable; nothing was changed in any cluster.
            - cluster "mdemo-cluster2" (context mdemo-cluster2, https://127.0.0.1:16444): connect ECONNREFUSED 127.0.0.1:16444
          Bring it back and run again. A release applied to some clusters only would serve a different split in each;
          see docs/operating.md#when-a-cluster-is-down."
        `);
    });

    it.each([
        [["east", "west"], 'Clusters "east" and "west" are unreachable; nothing was changed in any cluster.'],
        [["east", "west", "north"], 'Clusters "east", "west" and "north" are unreachable; nothing was changed in any cluster.'],
    ])("names every cluster in its first line: %j", (names, first) => {
        const message = unreachableMessage(names.map((name, i) => down(name, 16444 + i)));
        expect(message.split("\n")[0]).toBe(first);
        expect(message).toContain("Bring them back and run again.");
    });
});
