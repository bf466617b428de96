// The program itself (index.ts), run the way the engine runs it: config set, mocks set, then imported.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type * as Program from "../index.ts";
import { devStackConfig } from "./support/dev-stack.ts";
import { mockProgramRun, type Registration } from "./support/program-mocks.ts";

let registered: Registration[];
let program: typeof Program;

beforeAll(async () => {
    // namespace arrives as a plain string, the way the engine passes string config.
    registered = await mockProgramRun({ ...devStackConfig(), namespace: "gray-demo" });
    program = await import("../index.ts");
    // Registration is asynchronous: wait until both clusters' objects (7 each) have reached the monitor.
    await vi.waitFor(() => expect(registered.filter((r) => r.type.startsWith("kubernetes:"))).toHaveLength(16));
});

describe("index.ts on the dev stack", () => {
    it("exports the split and the path to check", () => {
        expect(program.split).toEqual({ v1: 80, v2: 20 });
        expect(program.checkPath).toBe("/hello");
    });

    it("exports what was placed in each cluster", () => {
        expect(program.placement).toEqual({
            "mdemo-cluster1": [
                "Namespace/gray-demo", "Service/helloworld", "Deployment/helloworld-v2", "DestinationRule/helloworld",
                "Gateway/gray-demo-gateway", "VirtualService/gray-demo-vs", "VirtualService/gray-demo-vs-mesh", "PeerAuthentication/default",
            ],
            "mdemo-cluster2": [
                "Namespace/gray-demo", "Service/helloworld", "Deployment/helloworld-v1", "DestinationRule/helloworld",
                "Gateway/gray-demo-gateway", "VirtualService/gray-demo-vs", "VirtualService/gray-demo-vs-mesh", "PeerAuthentication/default",
            ],
        });
    });

    it("gives every Kubernetes object an explicit provider", () => {
        const withoutProvider = registered.filter((r) => r.type.startsWith("kubernetes:") && r.provider === undefined);
        expect(withoutProvider).toEqual([]);
    });

    it("registers one provider per cluster", () => {
        expect(registered.filter((r) => r.type === "pulumi:providers:kubernetes").map((r) => r.name))
            .toEqual(["helloworld-mdemo-cluster1", "helloworld-mdemo-cluster2"]);
    });
});
