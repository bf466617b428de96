// `npm run render` and `npm run analyze` on a stack that changes every default the Service and the
// Gateway have: each setting must reach each object that names it (a literal left in a builder shows
// here), and the pack must find the result consistent.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { CONFIG_NAMESPACE } from "../../config/index.ts";
import { devStackConfig } from "../support/dev-stack.ts";
import { runTool } from "../support/run-tool.ts";

const scratch = mkdtempSync(join(tmpdir(), "non-default-settings-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const raw = devStackConfig();
raw.service = { name: "greeter", port: 8080, portName: "http-web" };
raw.gateway = { name: "shop-gateway", port: 8443, hosts: ["shop.example.com", "www.shop.example.com"] };
raw.virtualService = { name: "shop-routes" };

const stackFile = join(scratch, "Pulumi.shop.yaml");
writeFileSync(stackFile, stringify({ config: Object.fromEntries(Object.entries(raw).map(([k, v]) => [`${CONFIG_NAMESPACE}:${k}`, v])) }));
const out = join(scratch, "rendered");
const render = runTool("render", ["--config-file", stackFile, "--out", out]);

function rendered(cluster: string, kind: string): Record<string, any> {
    const objects = parseAllDocuments(readFileSync(join(out, `${cluster}.yaml`), "utf8")).map((d) => d.toJS() as Record<string, any> | null);
    const found = objects.find((o) => o?.kind === kind);
    if (!found) {
        throw new Error(`no ${kind} rendered for ${cluster}`);
    }
    return found;
}

describe("render with non-default service and gateway settings", () => {
    it("succeeds", () => {
        expect(render.status, render.stderr).toBe(0);
    });

    it.each(["mdemo-cluster1", "mdemo-cluster2"])("writes the settings into every object of %s that names them", (cluster) => {
        expect(rendered(cluster, "Service").spec.ports).toEqual([{ name: "http-web", port: 8080, targetPort: 5000, protocol: "TCP" }]);
        const gateway = rendered(cluster, "Gateway");
        expect(gateway.metadata.name).toBe("shop-gateway");
        expect(gateway.spec.servers).toEqual([{ port: { number: 8443, name: "http-8443", protocol: "HTTP" }, hosts: ["shop.example.com", "www.shop.example.com"] }]);
        const vs = rendered(cluster, "VirtualService");
        expect(vs.metadata.name).toBe("shop-routes");
        expect(vs.spec.gateways).toEqual(["shop-gateway"]);
        expect(vs.spec.hosts).toEqual(["shop.example.com", "www.shop.example.com"]);
        expect(vs.spec.http[0].name).toBe("http-web");
        expect(vs.spec.http[0].route.map((r: any) => r.destination)).toEqual([
            { host: "greeter.gray-demo.svc.cluster.local", subset: "v1", port: { number: 8080 } },
            { host: "greeter.gray-demo.svc.cluster.local", subset: "v2", port: { number: 8080 } },
        ]);
        expect(rendered(cluster, "DestinationRule").spec.host).toBe("greeter.gray-demo.svc.cluster.local");
    });

    it("passes analyze: the routes name the Gateway and a port the Service exposes", () => {
        const analyze = runTool("analyze", [out]);
        expect(analyze.stderr).toBe("");
        expect(analyze.stdout).toMatch(/0 mandatory, 0 advisory\. OK/);
        expect(analyze.status).toBe(0);
    });

    it("fails analyze once a route's port is not one the Service exposes (the check above can fail)", () => {
        const broken = join(scratch, "broken");
        const copy = runTool("render", ["--config-file", stackFile, "--out", broken]);
        expect(copy.status, copy.stderr).toBe(0);
        const file = join(broken, "mdemo-cluster1.yaml");
        writeFileSync(file, readFileSync(file, "utf8").replaceAll("number: 8080", "number: 5000"));
        const analyze = runTool("analyze", [broken]);
        expect(analyze.status).toBe(1);
        expect(analyze.stdout).toMatch(/istio-virtualservice-references-must-resolve/);
    });
});
