// index.ts with invalid stack config: it must fail before registering anything.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { devStackConfig } from "./support/dev-stack.ts";
import { mockProgramRun } from "./support/program-mocks.ts";

describe("index.ts with invalid config", () => {
    it("fails with every problem, as a RunError (no stack trace), and registers nothing", async () => {
        const raw = devStackConfig();
        raw.weights = { v1: 80, v2: 10 };
        raw.namespace = "Bad_Name";
        // A key the program does not read is reported, not ignored (issue #10.1).
        raw.protectNamespaces = false;
        const registered = await mockProgramRun(raw);
        const run = import("../index.ts");
        await expect(run).rejects.toBeInstanceOf(pulumi.RunError);
        await expect(run).rejects.toThrow(new RegExp("\\(3 problems\\):\n {2}- helloworld-grayscale:protectNamespaces: unknown key; " +
            "did you mean helloworld-grayscale:protectNamespace\\?\n {2}- namespace: [^\n]+\n {2}- weights: v1 \\+ v2 = 90; " +
            "the weights must add up to exactly 100$"));
        expect(registered).toEqual([]);
    });
});
