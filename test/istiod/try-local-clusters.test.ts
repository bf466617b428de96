// README "Try it on local clusters": the one command starts two clusters and istiod, applies the dev
// stack, and prints the route the ingress gets over xDS; the lines it prints to stop everything work.
// It starts clusters of its own (not the suite's), so what it leaves running is stopped here by the
// lines it printed, also when an assertion fails.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../support/dev-stack.ts";

const SCRIPT_TIMEOUT_MS = 280_000;

let output = "";
let stopLines: string[] = [];

/** The printed `scripts/<tool> stop --dir <folder>` lines, and each folder as the shell reads it. */
function stopCommands(text: string): { line: string; dir: string }[] {
    return [...text.matchAll(/^\s*(scripts\/(?:istiod|clusters) stop --dir (.+))$/gm)].map((m) => ({
        line: m[1] ?? "",
        dir: spawnSync("bash", ["-c", `printf %s ${m[2] ?? ""}`], { encoding: "utf8" }).stdout,
    }));
}

function runStopLines(): void {
    for (const line of stopLines.splice(0)) {
        spawnSync("bash", ["-c", line], { cwd: PROJECT_DIR, encoding: "utf8" });
    }
}

beforeAll(() => {
    const run = spawnSync("bash", [path.join(PROJECT_DIR, "scripts/try-local-clusters")], {
        cwd: PROJECT_DIR, encoding: "utf8", timeout: SCRIPT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024,
    });
    output = run.stdout;
    stopLines = stopCommands(output).map((c) => c.line);
    if (run.status !== 0) {
        throw new Error(`scripts/try-local-clusters exited ${run.status}\n${run.stdout}\n${run.stderr}`);
    }
});

afterAll(runStopLines);

describe("scripts/try-local-clusters", () => {
    it("prints the ingress's route from istiod: the dev stack's 80/20, Istio's mutual TLS, each version's pods in its own cluster", () => {
        const xds = output.slice(output.indexOf("What istiod sends the ingress gateway over xDS"));
        expect(xds).toMatch(/route http\.80 \(version [^)]+\): helloworld\.gray-demo\.svc\.cluster\.local v1 80%, v2 20%/);
        expect(xds).toMatch(/v1: Istio mutual TLS \(SDS default, validated against ROOTCA\); endpoints 10\.244\.2\.\d+:5000 \(mdemo-cluster2, HEALTHY\)/);
        expect(xds).toMatch(/v2: Istio mutual TLS \(SDS default, validated against ROOTCA\); endpoints 10\.244\.1\.\d+:5000 \(mdemo-cluster1, HEALTHY\)/);
    });

    it("prints what each API server holds after pulumi up", () => {
        expect(output).toMatch(/mdemo-cluster1: VirtualService route v1 80%, v2 20%/);
        expect(output).toMatch(/mdemo-cluster2: VirtualService route v1 80%, v2 20%/);
    });

    it("prints stop lines that stop istiod and the clusters and remove their folders", () => {
        const commands = stopCommands(output);
        expect(commands.map((c) => c.line.split(" ")[0])).toEqual(["scripts/istiod", "scripts/clusters"]);
        commands.forEach(({ dir }) => expect(existsSync(dir), dir).toBe(true));
        for (const { line } of commands) {
            const stop = spawnSync("bash", ["-c", line], { cwd: PROJECT_DIR, encoding: "utf8" });
            expect(stop.status, `${line}\n${stop.stderr}`).toBe(0);
        }
        stopLines = [];
        commands.forEach(({ dir }) => expect(existsSync(dir), dir).toBe(false));
    });
});
