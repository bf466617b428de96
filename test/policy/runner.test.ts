// The pack as the Pulumi CLI starts it: @pulumi/pulumi's policy runner (which compiles index.ts with
// ts-node whatever PulumiPolicy.yaml says), serving gRPC; a client then talks to it as the engine does.
import { credentials } from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb.js";
import analyzerPb from "@pulumi/pulumi/proto/analyzer_pb.js";
import emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import structPb from "google-protobuf/google/protobuf/struct_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeStackRequest } from "./engine.ts";
import { C1, devStack, find, set } from "./fixtures.ts";

const POLICY_DIR = fileURLToPath(new URL("../../policy", import.meta.url));
const RUNNER = createRequire(import.meta.url).resolve("@pulumi/pulumi/cmd/run-policy-pack");
const LEVEL_NAMES = new Map(Object.entries(analyzerPb.EnforcementLevel).map(([name, value]) => [value, name.toLowerCase()]));

let pack: ChildProcess | undefined;
let client: InstanceType<typeof analyzerGrpc.AnalyzerClient>;

/** Starts the pack the way the nodejs language host does and resolves with the port it prints. */
function startPack(): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [RUNNER, "127.0.0.1:0", "."], { cwd: POLICY_DIR, stdio: ["ignore", "pipe", "pipe"] });
        pack = child;
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const port = /^(\d+)\s*$/m.exec(stdout)?.[1];
            if (port !== undefined) {
                resolve(Number(port));
            }
        });
        child.stderr.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
        });
        child.on("exit", (code) => reject(new Error(`the policy pack exited (${code}) before serving:\n${stderr}`)));
    });
}

/** Settles with a unary call's response, rejecting on a gRPC error. */
function settle<T>(start: (callback: (err: Error | null, response: T) => void) => unknown): Promise<T> {
    return new Promise((resolve, reject) => {
        start((err, response) => (err ? reject(err) : resolve(response)));
    });
}

// ts-node type-checks index.ts on a cold start: give it longer than the default hook timeout.
beforeAll(async () => {
    const port = await startPack();
    client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, credentials.createInsecure());
}, 30_000);

afterAll(() => {
    client?.close();
    pack?.kill();
});

describe("the pack under Pulumi's policy runner", () => {
    it("serves every policy with its default level", async () => {
        const info = await settle<InstanceType<typeof analyzerPb.AnalyzerInfo>>((cb) => client.getAnalyzerInfo(new emptyPb.Empty(), cb));
        expect(info.getName()).toBe("helloworld-grayscale");
        const levels = Object.fromEntries(info.getPoliciesList().map((p) => [p.getName(), LEVEL_NAMES.get(p.getEnforcementlevel())]));
        expect(levels).toEqual({
            "istio-destinationrule-requires-istio-mutual": "mandatory",
            "istio-virtualservice-weights-must-sum-to-100": "mandatory",
            "istio-virtualservice-references-must-resolve": "mandatory",
            "istio-destinationrule-subsets-must-select-pods": "mandatory",
            "kubernetes-service-must-match-across-clusters": "mandatory",
            "istio-virtualservice-routes-must-match-across-clusters": "mandatory",
            "istio-namespace-requires-sidecar-injection": "mandatory",
            "istio-service-ports-must-declare-protocol": "mandatory",
            "istio-config-must-pass-istio-validation": "mandatory",
            "istio-peerauthentication-must-be-strict": "advisory",
            "istio-destinationrule-unrouted-subsets-should-select-pods": "advisory",
            "istio-workload-requires-app-and-version-labels": "advisory",
            "kubernetes-workload-requires-pinned-images": "advisory",
            "kubernetes-workload-requires-resource-requests-and-limits": "advisory",
            "kubernetes-workload-must-run-as-non-root": "advisory",
        });
    });

    it("makes an advisory policy mandatory through the pack config the engine sends (--policy-pack-config)", async () => {
        const stack = devStack();
        set(find(stack, C1, "PeerAuthentication", "default"), ["spec", "mtls", "mode"], "PERMISSIVE");
        const levels = async () => {
            const response = await settle<InstanceType<typeof analyzerPb.AnalyzeResponse>>((cb) => client.analyzeStack(analyzeStackRequest(stack), cb));
            return response.getDiagnosticsList().map((d) => [d.getPolicyname(), LEVEL_NAMES.get(d.getEnforcementlevel())]);
        };
        expect(await levels()).toEqual([["istio-peerauthentication-must-be-strict", "advisory"]]);

        const configure = new analyzerPb.ConfigureAnalyzerRequest();
        configure.getPolicyconfigMap().set("istio-peerauthentication-must-be-strict", new analyzerPb.PolicyConfig()
            .setEnforcementlevel(analyzerPb.EnforcementLevel.MANDATORY)
            .setProperties(structPb.Struct.fromJavaScript({ rootNamespace: "istio-system" })));
        await settle((cb) => client.configure(configure, cb));
        expect(await levels()).toEqual([["istio-peerauthentication-must-be-strict", "mandatory"]]);
    });
});
