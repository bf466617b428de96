// examples/two-services as a platform team would run it: the package built and packed (`npm pack`),
// installed into a copy of the example from that tarball, then `pulumi up` (render mode) with the
// policy pack, and `npm run analyze` over what the providers rendered. Two releases share one
// namespace, two providers and the mesh, and neither selects, routes to or names the other's pods.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { PROJECT_DIR } from "../support/dev-stack.ts";
import { runTool } from "../support/run-tool.ts";

const EXAMPLE = path.join(PROJECT_DIR, "examples/two-services");

/** npm of the Node that runs the tests. */
function npm(args: string[], cwd: string): string {
    const npmCli = process.env.npm_execpath ?? path.join(path.dirname(process.execPath), "../lib/node_modules/npm/bin/npm-cli.js");
    const result = spawnSync(process.execPath, [npmCli, ...args], { cwd, encoding: "utf8" });
    if (result.status !== 0) {
        throw new Error(`npm ${args.join(" ")} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
    }
    return result.stdout;
}

interface RenderedObject {
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string> };
    spec?: Record<string, any>;
}

describe("examples/two-services, installed from the packed package", () => {
    let work: string;
    let workspace: PulumiWorkspace;
    let outputs: Record<string, any>;
    let rendered: RenderedObject[];

    beforeAll(() => {
        work = mkdtempSync(path.join(tmpdir(), "hwg-example-"));
        // As a release would: build (lifecycle scripts are off in this project's .npmrc), then pack.
        npm(["run", "build", "--silent"], PROJECT_DIR);
        const tarball = npm(["pack", "--pack-destination", work, "--silent"], PROJECT_DIR).trim().split("\n").at(-1) as string;
        const example = path.join(work, "two-services");
        cpSync(EXAMPLE, example, { recursive: true, filter: (source) => !source.includes("node_modules") });
        const manifest = JSON.parse(readFileSync(path.join(example, "package.json"), "utf8"));
        manifest.dependencies["istio-grayscale"] = `file:${path.join(work, tarball)}`;
        writeFileSync(path.join(example, "package.json"), JSON.stringify(manifest, null, 2));
        // From npm's cache, which `npm ci` of this project filled: the same versions, no download.
        npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--install-links"], example);
        // The engine tests' language host (dev/engine/program-host.ts) runs a program inside its own
        // process, with this project's Pulumi SDK; a second copy of the SDK in that process cannot talk
        // to the engine (its gRPC messages are other classes). So the example's SDK and provider
        // packages become this project's (the same versions: npm installed them from the same lock's
        // cache); the component package stays the one installed from the tarball.
        for (const sdk of ["@pulumi/pulumi", "@pulumi/kubernetes"]) {
            rmSync(path.join(example, "node_modules", sdk), { recursive: true });
            symlinkSync(path.join(PROJECT_DIR, "node_modules", sdk), path.join(example, "node_modules", sdk));
        }

        workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), config: {}, projectDir: example, stack: "dev" });
        const stackConfig = readFileSync(path.join(example, "Pulumi.dev.yaml"), "utf8");
        const config = (parseAllDocuments(stackConfig)[0]?.toJS() as { config: Record<string, unknown> }).config;
        workspace.writeConfig({
            ...config,
            "two-services:clusters": {
                "mdemo-cluster1": { renderYamlToDirectory: path.join(workspace.renderRoot, "mdemo-cluster1") },
                "mdemo-cluster2": { renderYamlToDirectory: path.join(workspace.renderRoot, "mdemo-cluster2") },
            },
        });
        workspace.mustRun(["up", "--yes", "--skip-preview", "--policy-pack", workspace.policyPack]);
        outputs = JSON.parse(workspace.mustRun(["stack", "output", "--json"]).stdout);
        rendered = ["mdemo-cluster1", "mdemo-cluster2"].flatMap((cluster) => {
            const listing = spawnSync("find", [path.join(workspace.renderRoot, cluster), "-name", "*.yaml"], { encoding: "utf8" }).stdout.trim().split("\n");
            return listing.flatMap((file) => parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS() as RenderedObject));
        });
    }, 240_000);
    afterAll(() => {
        workspace?.remove();
        rmSync(work, { recursive: true, force: true });
    });

    it("exports each service's split and host", () => {
        expect(outputs.releases).toEqual({
            helloworld: { split: { v1: 90, v2: 10 }, host: "helloworld.shop.svc.cluster.local", checkPath: "/hello" },
            checkout: { split: { stable: 95, canary: 5 }, host: "checkout.shop.svc.cluster.local", checkPath: "/version" },
        });
    });

    it("gives each service its own selector, Deployments, port and probes", () => {
        const services = rendered.filter((o) => o.kind === "Service" && o.metadata.name === "checkout");
        expect(services.map((s) => [s.spec?.selector, s.spec?.ports])).toEqual(Array(2).fill([
            { app: "checkout" }, [{ name: "http-8080", port: 8080, targetPort: 8080, protocol: "TCP" }],
        ]));
        const deployments = rendered.filter((o) => o.kind === "Deployment").map((d) => d.metadata.name).sort();
        expect(deployments).toEqual(["checkout-canary", "checkout-stable", "checkout-stable", "helloworld-v1", "helloworld-v2"]);
        const canary = rendered.find((o) => o.kind === "Deployment" && o.metadata.name === "checkout-canary");
        const container = canary?.spec?.template.spec.containers[0];
        expect([container.name, container.readinessProbe.httpGet, container.env]).toEqual(["checkout", { path: "/healthz", port: 8080 }, undefined]);
    });

    it("creates the shared namespace and its PeerAuthentication once per cluster, by the first release", () => {
        const owned = rendered.filter((o) => o.kind === "Namespace" || o.kind === "PeerAuthentication");
        expect(owned.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
            "Namespace/shop", "Namespace/shop", "PeerAuthentication/default", "PeerAuthentication/default",
        ]);
    });

    it("routes each host to its own service's subsets, through its own Gateway and, for mesh callers, by its Service's host", () => {
        const routes = rendered.filter((o) => o.kind === "VirtualService").map((vs) => [vs.metadata.name, vs.spec?.hosts, vs.spec?.gateways,
            vs.spec?.http[0].route.map((r: any) => `${r.destination.host}/${r.destination.subset}=${r.weight}`)]);
        expect(routes).toEqual(expect.arrayContaining([
            ["helloworld", ["hello.shop.example.com"], ["helloworld-gateway"], ["helloworld.shop.svc.cluster.local/v1=90", "helloworld.shop.svc.cluster.local/v2=10"]],
            ["checkout", ["checkout.shop.example.com"], ["checkout-gateway"], ["checkout.shop.svc.cluster.local/canary=5", "checkout.shop.svc.cluster.local/stable=95"]],
            ["checkout-mesh", ["checkout.shop.svc.cluster.local"], ["mesh"], ["checkout.shop.svc.cluster.local/canary=5", "checkout.shop.svc.cluster.local/stable=95"]],
        ]));
        expect(routes).toHaveLength(8);
    });

    it("passes `npm run analyze` over the render of both clusters (one view of the mesh: a subset's pods may run in the other cluster)", () => {
        const run = runTool("analyze", [workspace.renderRoot]);
        expect(run.stdout).toContain("0 mandatory, 0 advisory");
        expect(run.status).toBe(0);
    });
});
