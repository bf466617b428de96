// `npm run render` and `npm run analyze` over a stack with every route beyond the weighted split:
// testers' header and cookie routes, a mirror, sticky users, the mesh's VirtualService and one
// cluster's own weights. The pack passes the render as written, and fails it once a route or a mirror
// names a version with no subset, or once the clusters' splits differ without the key that declares it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { CONFIG_NAMESPACE } from "../../config/index.ts";
import { CLUSTER_WEIGHTS_ANNOTATION } from "../../mesh/annotations.ts";
import { devStackConfig } from "../support/dev-stack.ts";
import { runTool } from "../support/run-tool.ts";

const C1 = "mdemo-cluster1";
const C2 = "mdemo-cluster2";
const scratch = mkdtempSync(join(tmpdir(), "analyze-routing-forms-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const raw = devStackConfig();
raw.routing = {
    matches: [{ version: "v2", headers: { "x-canary": "always" } }, { version: "v2", cookie: { user: "tester" } }],
    mirror: { version: "v2", percent: 10 },
    sticky: { version: "v2", maxAge: "1h" },
};
raw.clusters[C1].weights = { v1: 50, v2: 50 };

const stackFile = join(scratch, "Pulumi.routing.yaml");
writeFileSync(stackFile, stringify({ config: Object.fromEntries(Object.entries(raw).map(([k, v]) => [`${CONFIG_NAMESPACE}:${k}`, v])) }));
const out = join(scratch, "rendered");
const render = runTool("render", ["--config-file", stackFile, "--out", out]);

type Body = Record<string, any>;

function renderedObjects(cluster: string): Body[] {
    return parseAllDocuments(readFileSync(join(out, `${cluster}.yaml`), "utf8")).map((d) => d.toJS() as Body);
}

/** The render copied to its own folder, each object changed by `change`, analyzed. */
let copies = 0;
function analyzeChanged(change: (object: Body) => void) {
    const dir = join(scratch, `changed-${++copies}`);
    mkdirSync(dir);
    for (const cluster of [C1, C2]) {
        const objects = renderedObjects(cluster);
        objects.forEach(change);
        // Render's header stays: it is what tells analyze the file is one cluster's render.
        const text = readFileSync(join(out, `${cluster}.yaml`), "utf8");
        writeFileSync(join(dir, `${cluster}.yaml`), text.slice(0, text.indexOf("---")) + objects.map((o) => `---\n${stringify(o)}`).join(""));
    }
    const run = runTool("analyze", [dir]);
    return { status: run.status, findings: run.stdout.split("\n").filter((line) => /^(mandatory|advisory) /.test(line)).map((line) => line.split(/ {2,}/).slice(0, 4).join(" ")) };
}

const isVirtualService = (object: Body) => object.kind === "VirtualService";

describe("analyze on a render with every route beyond the split", () => {
    it("renders the stack", () => {
        expect(render.status, render.stderr).toBe(0);
    });

    it("passes it: no mandatory and no advisory finding", () => {
        const run = runTool("analyze", [out]);
        expect(run.status, run.stdout + run.stderr).toBe(0);
        expect(run.stdout).toMatch(/checked against \d+ policies: 0 mandatory, 0 advisory\. OK/);
    });

    it("fails a mirror to a version no subset defines", () => {
        const { status, findings } = analyzeChanged((object) => {
            if (isVirtualService(object)) {
                object.spec.http.at(-1).mirror.subset = "v3";
            }
        });
        expect(status).toBe(1);
        expect(findings).toContain(`mandatory istio-virtualservice-references-must-resolve ${C1} VirtualService/gray-demo/gray-demo-vs`);
    });

    it("fails a testers' route to a version no subset defines", () => {
        const { status, findings } = analyzeChanged((object) => {
            if (isVirtualService(object)) {
                object.spec.http[0].route[0].destination.subset = "v3";
            }
        });
        expect(status).toBe(1);
        expect(findings).toContain(`mandatory istio-virtualservice-references-must-resolve ${C2} VirtualService/gray-demo/gray-demo-vs-mesh`);
    });

    it("fails a cluster's own weights without the annotation that declares them", () => {
        const { status, findings } = analyzeChanged((object) => {
            if (isVirtualService(object)) {
                delete object.metadata.annotations?.[CLUSTER_WEIGHTS_ANNOTATION];
            }
        });
        expect(status).toBe(1);
        expect(findings.filter((f) => f.includes("istio-virtualservice-routes-must-match-across-clusters")).length).toBeGreaterThan(0);
    });
});
