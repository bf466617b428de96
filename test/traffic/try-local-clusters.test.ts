// README "Try it on local clusters": the one command starts two clusters, istiod and the data plane,
// applies the dev stack, prints the route the ingress gets over xDS, sends requests through the real
// gateway and asks verify; the lines it prints to stop everything work. It starts clusters of its
// own (not the suite's), so what it leaves running is stopped here by the lines it printed, also when
// an assertion fails. It runs in the clone, whose Pulumi.dev.yaml its `stack init` gives a
// passphrase salt: the file is put back as it was.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../support/dev-stack.ts";

const SCRIPT_TIMEOUT_MS = 280_000;

let output = "";
let stopLines: string[] = [];

/** The printed `scripts/<tool> stop --dir <folder>` lines, and each folder as the shell reads it. */
function stopCommands(text: string): { line: string; dir: string }[] {
    return [...text.matchAll(/^\s*(scripts\/(?:dataplane|istiod|clusters) stop --dir (.+))$/gm)].map((m) => ({
        line: m[1] ?? "",
        dir: spawnSync("bash", ["-c", `printf %s ${m[2] ?? ""}`], { encoding: "utf8" }).stdout,
    }));
}

function runStopLines(): void {
    for (const line of stopLines.splice(0)) {
        spawnSync("bash", ["-c", line], { cwd: PROJECT_DIR, encoding: "utf8" });
    }
}

let devStackFile = "";

beforeAll(() => {
    devStackFile = readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
    const run = spawnSync("bash", [path.join(PROJECT_DIR, "scripts/try-local-clusters")], {
        cwd: PROJECT_DIR, encoding: "utf8", timeout: SCRIPT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024,
    });
    output = run.stdout;
    stopLines = stopCommands(output).map((c) => c.line);
    if (run.status !== 0) {
        throw new Error(`scripts/try-local-clusters exited ${run.status}\n${run.stdout}\n${run.stderr}`);
    }
});

afterAll(() => {
    runStopLines();
    if (devStackFile !== "") {
        writeFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), devStackFile);
    }
});

describe("scripts/try-local-clusters", () => {
    it("prints the ingress's route from istiod: the dev stack's 80/20, Istio's mutual TLS, each version's pods in its own cluster", () => {
        const xds = output.slice(output.indexOf("What istiod sends the ingress gateway over xDS"));
        expect(xds).toMatch(/route http\.80 \(version [^)]+\): helloworld\.gray-demo\.svc\.cluster\.local v1 80%, v2 20%/);
        expect(xds).toMatch(/v1: Istio mutual TLS \(SDS default, validated against ROOTCA\); endpoints 10\.244\.2\.\d+:5000 \(mdemo-cluster2, HEALTHY\)/);
        expect(xds).toMatch(/v2: Istio mutual TLS \(SDS default, validated against ROOTCA\); endpoints 10\.244\.1\.\d+:5000 \(mdemo-cluster1, HEALTHY\)/);
    });

    it("prints what 1000 requests through the real gateway got: about 80/20, each version from its pod in its cluster, none failed", () => {
        const answers = /^\s+v1\s+(\d+)\s+\([\d.]+%\)\s+from helloworld-v1-\S+ in mdemo-cluster2$/m.exec(output);
        expect(answers, output).not.toBeNull();
        // 80% of 1000 is 800, standard deviation 12.6: five of them either side.
        expect(Number(answers?.[1])).toBeGreaterThanOrEqual(737);
        expect(Number(answers?.[1])).toBeLessThanOrEqual(863);
        expect(output).toMatch(/^\s+v2\s+\d+\s+\([\d.]+%\)\s+from helloworld-v2-\S+ in mdemo-cluster1$/m);
        expect(output).toMatch(/^\s+failed 0$/m);
    });

    it("prints verify's verdict against the stack's weights: MATCH", () => {
        expect(output).toMatch(/^MATCH: every version's share is within 5 pp of its weight/m);
    });

    it("prints what each API server holds after pulumi up", () => {
        expect(output).toMatch(/mdemo-cluster1: VirtualService route v1 80%, v2 20%/);
        expect(output).toMatch(/mdemo-cluster2: VirtualService route v1 80%, v2 20%/);
    });

    it("prints stop lines that stop the data plane, istiod and the clusters and remove their folders", () => {
        const commands = stopCommands(output);
        expect(commands.map((c) => c.line.split(" ")[0])).toEqual(["scripts/dataplane", "scripts/istiod", "scripts/clusters"]);
        commands.forEach(({ dir }) => expect(existsSync(dir), dir).toBe(true));
        for (const { line } of commands) {
            const stop = spawnSync("bash", ["-c", line], { cwd: PROJECT_DIR, encoding: "utf8" });
            expect(stop.status, `${line}\n${stop.stderr}`).toBe(0);
        }
        stopLines = [];
        commands.forEach(({ dir }) => expect(existsSync(dir), dir).toBe(false));
    });
});
