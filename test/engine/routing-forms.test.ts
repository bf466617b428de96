// Routes beyond the weighted split, set the way users set weights: `pulumi config set-all --path`,
// reviewed in `pulumi preview`, applied by `pulumi up`. Testers first, dark traffic and sticky users
// change the VirtualServices alone, in every config target, and the policy pack passes them; a
// config target's own weights (a wave) change that cluster's VirtualServices alone. What the routes
// do to requests is proven through Envoy in the traffic suite.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { previewChanges } from "../../dev/engine/preview-changes.ts";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { CLUSTER_WEIGHTS_ANNOTATION } from "../../mesh/annotations.ts";
import { devStack } from "./support/stacks.ts";

const VIRTUAL_SERVICE = "kubernetes:networking.istio.io/v1:VirtualService";
const CLUSTERS = ["mdemo-cluster1", "mdemo-cluster2"];
const VIRTUAL_SERVICES = ["gray-demo-vs", "gray-demo-vs-mesh"];

interface RenderedVirtualService {
    metadata: { annotations?: Record<string, string> };
    spec: {
        gateways: string[];
        http: {
            name: string;
            match?: { headers: Record<string, Record<string, string>> }[];
            route: { destination: { subset: string }; weight?: number; headers?: { response: { add: Record<string, string> } } }[];
            mirror?: { subset: string };
            mirrorPercentage?: { value: number };
        }[];
    };
}

describe("routes beyond the weighted split, from stack config", () => {
    let workspace: PulumiWorkspace;

    const rendered = (cluster: string, name: string) => parse(readFileSync(
        path.join(workspace.renderRoot, cluster, "1-manifest", `networking.istio.io_v1-virtualservice-gray-demo-${name}.yaml`), "utf8")) as RenderedVirtualService;
    const changesOf = () => previewChanges(workspace.mustRun(["preview", "--json", "--diff"]).stdout)
        .map((step) => [step.op, step.type, step.name]);
    const policyPreview = () => {
        const preview = workspace.run(["preview", "--policy-pack", workspace.policyPack]);
        return { status: preview.status, output: preview.stdout + preview.stderr };
    };

    beforeAll(() => {
        workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), config: devStack(), renderMode: true });
        workspace.mustRun(["up", "--yes", "--skip-preview"]);
    });
    afterAll(() => workspace.remove());

    describe("testers first, dark traffic and sticky users", () => {
        beforeAll(() => {
            workspace.mustRun(["config", "set-all", "--path",
                "--plaintext", "routing.matches[0].version=v2", "--plaintext", "routing.matches[0].headers[\"x-canary\"]=always",
                "--plaintext", "routing.matches[1].version=v2", "--plaintext", "routing.matches[1].cookie.user=tester",
                "--plaintext", "routing.mirror.version=v2", "--plaintext", "routing.mirror.percent=25",
                "--plaintext", "routing.sticky.version=v2", "--plaintext", "routing.sticky.maxAge=1h"]);
        });

        it("previews the VirtualServices updating, every one of each config target, and nothing else", () => {
            expect(changesOf()).toEqual(CLUSTERS.flatMap((cluster) =>
                VIRTUAL_SERVICES.map((name) => ["update", VIRTUAL_SERVICE, `helloworld-${cluster}-${name}`])));
        });

        it("passes the policy pack", () => {
            const { status, output } = policyPreview();
            expect(status, output).toBe(0);
            expect(output).not.toMatch(/mandatory|advisory/);
        });

        it("renders, at the gateway and in the mesh, the testers' routes, then the sticky route, then the split that mirrors and sets the cookie", () => {
            workspace.mustRun(["up", "--yes", "--skip-preview"]);
            for (const cluster of CLUSTERS) {
                for (const name of VIRTUAL_SERVICES) {
                    const { spec } = rendered(cluster, name);
                    const [header, cookie, sticky, split] = spec.http;
                    expect(spec.http, `${cluster} ${name}`).toHaveLength(4);
                    expect([header, cookie, sticky].map((route) => [route?.match, route?.route.map((r) => r.destination.subset)])).toEqual([
                        [[{ headers: { "x-canary": { exact: "always" } } }], ["v2"]],
                        [[{ headers: { cookie: { regex: expect.stringContaining("user=tester") } } }], ["v2"]],
                        [[{ headers: { cookie: { regex: expect.stringContaining("helloworld-version=v2") } } }], ["v2"]],
                    ]);
                    expect(split?.match).toBeUndefined();
                    expect(split?.route.map((r) => [r.destination.subset, r.weight])).toEqual([["v1", 80], ["v2", 20]]);
                    expect([split?.mirror?.subset, split?.mirrorPercentage?.value]).toEqual(["v2", 25]);
                    expect(split?.route.map((r) => r.headers?.response.add["set-cookie"])).toEqual([undefined, "helloworld-version=v2; Max-Age=3600; Path=/"]);
                }
                expect(rendered(cluster, "gray-demo-vs-mesh").spec.gateways).toEqual(["mesh"]);
            }
        });
    });

    describe("a config target's own weights", () => {
        beforeAll(() => {
            workspace.mustRun(["config", "set-all", "--path",
                "--plaintext", "clusters.mdemo-cluster1.weights.v1=50", "--plaintext", "clusters.mdemo-cluster1.weights.v2=50"]);
        });

        it("previews that cluster's VirtualServices updating, and nothing in the other", () => {
            expect(changesOf()).toEqual(VIRTUAL_SERVICES.map((name) => ["update", VIRTUAL_SERVICE, `helloworld-mdemo-cluster1-${name}`]));
        });

        it("passes the policy pack: the difference is declared, not an accident", () => {
            const { status, output } = policyPreview();
            expect(status, output).toBe(0);
            expect(output).not.toMatch(/mandatory|advisory/);
        });

        it("moves that cluster's split alone, marked as its own", () => {
            workspace.mustRun(["up", "--yes", "--skip-preview"]);
            const split = (cluster: string, name: string) => rendered(cluster, name).spec.http.at(-1)?.route.map((r) => [r.destination.subset, r.weight]);
            for (const name of VIRTUAL_SERVICES) {
                expect(split("mdemo-cluster1", name)).toEqual([["v1", 50], ["v2", 50]]);
                expect(split("mdemo-cluster2", name)).toEqual([["v1", 80], ["v2", 20]]);
                expect(rendered("mdemo-cluster1", name).metadata.annotations?.[CLUSTER_WEIGHTS_ANNOTATION]).toBe("true");
                expect(rendered("mdemo-cluster2", name).metadata.annotations?.[CLUSTER_WEIGHTS_ANNOTATION]).toBeUndefined();
            }
        });
    });
});
