// The pack through @pulumi/policy's own analyzer handlers (what its gRPC server calls), fed real
// AnalyzeRequest/AnalyzeStackRequest messages: what the engine sends is what is tested here.
import analyzerPb from "@pulumi/pulumi/proto/analyzer_pb.js";
import * as server from "@pulumi/policy/server.js";
import { describe, expect, it } from "vitest";
import { PACK_NAME, policies } from "../../policy/policies.ts";
import { analyzeRequests, analyzeStackRequest, resourceUrn, UNKNOWN_STRING } from "./engine.ts";
import { bystanders, C1, C2, devStack, find, set, type Stack } from "./fixtures.ts";

type Response = InstanceType<typeof analyzerPb.AnalyzeResponse>;
type Handler = (call: { request: unknown }, callback: (err: unknown, response?: Response) => void) => Promise<void>;
type MakeHandler = (pack: string, version: string, level: string, list: typeof policies) => Handler;
// server.d.ts declares none of its exports (they are @internal); these are their signatures in server.js.
const { makeAnalyzeRpcFun, makeAnalyzeStackRpcFun } = server as unknown as { makeAnalyzeRpcFun: MakeHandler; makeAnalyzeStackRpcFun: MakeHandler };

const analyze = makeAnalyzeRpcFun(PACK_NAME, "0.1.0", "advisory", policies);
const analyzeStack = makeAnalyzeStackRpcFun(PACK_NAME, "0.1.0", "advisory", policies);

const LEVEL_NAMES = new Map(Object.entries(analyzerPb.EnforcementLevel).map(([name, value]) => [value, name.toLowerCase()]));

interface Diagnostic {
    policy: string;
    level: string | undefined;
    urn: string;
    message: string;
}

function call(handler: Handler, request: unknown): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
        void handler({ request }, (err, response) => {
            if (err || response === undefined) {
                reject(err instanceof Error ? err : new Error(String(err)));
                return;
            }
            resolve(response.getDiagnosticsList().map((d) => ({
                policy: d.getPolicyname(),
                level: LEVEL_NAMES.get(d.getEnforcementlevel()),
                urn: d.getUrn(),
                message: d.getMessage(),
            })));
        });
    });
}

async function analyzeEach(stack: Stack): Promise<Diagnostic[]> {
    const all = await Promise.all(analyzeRequests(stack).map((r) => call(analyze, r)));
    return all.flat();
}

describe("the pack behind @pulumi/policy's analyzer handlers", () => {
    it("finds nothing in the compliant release, per resource and for the stack", async () => {
        expect(await analyzeEach(devStack())).toEqual([]);
        expect(await call(analyzeStack, analyzeStackRequest(devStack()))).toEqual([]);
    });

    it("reports a resource violation with the policy's description, message and level", async () => {
        const stack = devStack();
        set(find(stack, C1, "DestinationRule", "helloworld"), ["spec", "subsets", 0, "trafficPolicy", "tls", "mode"], "DISABLE");
        expect(await analyzeEach(stack)).toEqual([{
            policy: "istio-destinationrule-requires-istio-mutual",
            level: "mandatory",
            urn: "",
            message: `${policies[0]?.description}\nDestinationRule gray-demo/helloworld in cluster mdemo-cluster1 overrides TLS ` +
                "in subset \"v1\" with tls.mode DISABLE; every subset that sets TLS must use ISTIO_MUTUAL (DISABLE sends " +
                "plaintext, which STRICT peers reject).",
        }]);
    });

    it("reports a stack violation against the offending resource's URN, naming its cluster (provider)", async () => {
        const stack = devStack();
        set(find(stack, C1, "VirtualService", "gray-demo-vs"), ["spec", "http", 0, "route", 1, "destination", "subset"], "v3");
        // (Its copy in mdemo-cluster2 now routes differently too, which another policy reports.)
        const diagnostics = (await call(analyzeStack, analyzeStackRequest(stack))).filter((d) => d.policy !== "istio-virtualservice-routes-must-match-across-clusters");
        expect(diagnostics).toEqual([{
            policy: "istio-virtualservice-references-must-resolve",
            level: "mandatory",
            urn: resourceUrn(C1, "kubernetes:networking.istio.io/v1:VirtualService", "virtualservice-gray-demo-vs"),
            message: expect.stringContaining("VirtualService gray-demo/gray-demo-vs in cluster mdemo-cluster1 routes http[0].route[1] to subset \"v3\""),
        }]);
    });

    it("judges subsets across clusters, keyed by provider", async () => {
        const stack = devStack();
        // v1's pods lose the Service's label: subset v1 now selects nothing in either cluster.
        set(find(stack, C2, "Deployment", "helloworld-v1"), ["spec", "template", "metadata", "labels", "app"], "other");
        const diagnostics = await call(analyzeStack, analyzeStackRequest(stack));
        expect(diagnostics.map((d) => [d.policy, d.urn])).toEqual([C1, C2].map((c) => [
            "istio-destinationrule-subsets-must-select-pods",
            resourceUrn(c, "kubernetes:networking.istio.io/v1:DestinationRule", "destinationrule-helloworld"),
        ]));
    });

    it("runs the mesh-only policies on the stack: kube-dns beside the release passes, a mesh Service's port name does not", async () => {
        const stack = devStack();
        for (const cluster of [C1, C2]) {
            stack[cluster] = [...(stack[cluster] ?? []), ...bystanders(cluster)];
        }
        expect(await analyzeEach(stack)).toEqual([]);
        expect(await call(analyzeStack, analyzeStackRequest(stack))).toEqual([]);
        for (const cluster of [C1, C2]) {
            set(find(stack, cluster, "Service", "helloworld"), ["spec", "ports", 0, "name"], "web");
        }
        expect(await analyzeEach(stack)).toEqual([]);
        expect(await call(analyzeStack, analyzeStackRequest(stack))).toEqual([C1, C2].map((cluster) => ({
            policy: "istio-service-ports-must-declare-protocol",
            level: "mandatory",
            urn: resourceUrn(cluster, "kubernetes:core/v1:Service", "service-helloworld"),
            message: expect.stringContaining(`Service gray-demo/helloworld in cluster ${cluster} port 5000 is named 'web'`),
        })));
    });

    it("neither crashes nor raises false alarms on values unknown during preview", async () => {
        const stack = devStack();
        set(find(stack, C1, "DestinationRule", "helloworld"), ["spec", "trafficPolicy", "tls", "mode"], UNKNOWN_STRING);
        set(find(stack, C1, "VirtualService", "gray-demo-vs"), ["spec", "http", 0, "route", 1, "destination", "host"], UNKNOWN_STRING);
        set(find(stack, C2, "Service", "helloworld"), ["spec", "selector", "app"], UNKNOWN_STRING);
        set(find(stack, C2, "Deployment", "helloworld-v1"), ["spec", "template", "spec", "containers", 0, "image"], UNKNOWN_STRING);
        set(find(stack, C2, "Namespace", "gray-demo"), ["metadata", "labels"], UNKNOWN_STRING);
        expect(await analyzeEach(stack)).toEqual([]);
        expect(await call(analyzeStack, analyzeStackRequest(stack))).toEqual([]);
    });
});
