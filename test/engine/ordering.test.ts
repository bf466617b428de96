// The order the real engine applies the plan's edges in (manifests/plan.ts): routes leave before the
// objects they use go. Read from the engine's event log of each `pulumi up`.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { changedSteps, type Step } from "./support/event-log.ts";
import { devStack } from "./support/stacks.ts";

const DESTINATION_RULE = "kubernetes:networking.istio.io/v1:DestinationRule";
const GATEWAY = "kubernetes:networking.istio.io/v1:Gateway";
const VIRTUAL_SERVICE = "kubernetes:networking.istio.io/v1:VirtualService";
const PEER_AUTHENTICATION = "kubernetes:security.istio.io/v1:PeerAuthentication";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

function find(steps: Step[], op: string, resource: string): Step {
    const step = steps.find((s) => s.op === op && s.resource === resource);
    if (step === undefined) {
        throw new Error(`no ${op} of ${resource} among: ${steps.map((s) => `${s.op} ${s.resource}`).join(", ")}`);
    }
    return step;
}

describe("the engine's order of operations", () => {
    let workspace: PulumiWorkspace;
    let retire: Step[];
    let dropIstioConfig: Step[];

    /** `pulumi up` with an event log; the steps that changed something. */
    function up(name: string): Step[] {
        const log = path.join(workspace.dir, `${name}.events.jsonl`);
        workspace.mustRun(["up", "--yes", "--skip-preview", "--event-log", log]);
        return changedSteps(log);
    }

    beforeAll(() => {
        workspace = new PulumiWorkspace({
            engineBin: inject("engineBin"),
            config: devStack(),
            renderMode: true,
            // `up --event-log` is one of the CLI's debug commands.
            env: { PULUMI_DEBUG_COMMANDS: "true" },
        });
        workspace.mustRun(["up", "--yes", "--skip-preview"]);
        workspace.mustRun(["config", "set-all", "--path", "--plaintext", "weights.v1=0", "--plaintext", "weights.v2=100"]);
        workspace.mustRun(["up", "--yes", "--skip-preview"]);
        workspace.mustRun(["config", "set", "--path", "versions.v1.retired", "true"]);
        retire = up("retire");
        workspace.mustRun(["config", "set", "--path", "clusters.mdemo-cluster1.istioConfig", "false"]);
        dropIstioConfig = up("drop-istio-config");
    });
    afterAll(() => workspace?.remove());

    it("retiring v1: the subsets leave every DestinationRule before v1's pods go (deletes run last)", () => {
        expect(retire.map((s) => `${s.op} ${s.resource}`).sort()).toEqual([
            `delete ${DEPLOYMENT} helloworld-mdemo-cluster2-helloworld-v1`,
            `update ${DESTINATION_RULE} helloworld-mdemo-cluster1-helloworld`,
            `update ${DESTINATION_RULE} helloworld-mdemo-cluster2-helloworld`,
        ]);
        const deploymentGoes = find(retire, "delete", `${DEPLOYMENT} helloworld-mdemo-cluster2-helloworld-v1`);
        for (const cluster of ["mdemo-cluster1", "mdemo-cluster2"]) {
            expect(find(retire, "update", `${DESTINATION_RULE} helloworld-${cluster}-helloworld`).ended).toBeLessThan(deploymentGoes.began);
        }
    });

    it("a cluster that stops receiving Istio config loses its routes before its subsets and Gateway", () => {
        const cluster = "helloworld-mdemo-cluster1";
        expect(dropIstioConfig.map((s) => `${s.op} ${s.resource}`).sort()).toEqual([
            `delete ${DESTINATION_RULE} ${cluster}-helloworld`,
            `delete ${GATEWAY} ${cluster}-gray-demo-gateway`,
            `delete ${VIRTUAL_SERVICE} ${cluster}-gray-demo-vs`,
            `delete ${VIRTUAL_SERVICE} ${cluster}-gray-demo-vs-mesh`,
            `delete ${PEER_AUTHENTICATION} ${cluster}-default`,
        ].sort());
        for (const routes of [`${cluster}-gray-demo-vs`, `${cluster}-gray-demo-vs-mesh`]) {
            const routesGo = find(dropIstioConfig, "delete", `${VIRTUAL_SERVICE} ${routes}`);
            expect(routesGo.ended).toBeLessThan(find(dropIstioConfig, "delete", `${DESTINATION_RULE} ${cluster}-helloworld`).began);
            expect(routesGo.ended).toBeLessThan(find(dropIstioConfig, "delete", `${GATEWAY} ${cluster}-gray-demo-gateway`).began);
        }
    });
});
