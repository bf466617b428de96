// `npm run rollout` refusing a request: one line on stderr (and the usage, for a usage error), exit 64
// or 2, and the stack file untouched. These are decided before the engine is started, so they need no
// Pulumi CLI.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { PROJECT_DIR } from "../support/dev-stack.ts";
import { devStackConfig } from "../support/dev-stack.ts";

function cli(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [path.join(PROJECT_DIR, "tools/rollout.ts"), ...args], { cwd, timeout: 20_000 }, (err, stdout, stderr) => {
            resolve({ code: typeof err?.code === "number" ? err.code : 0, stdout, stderr });
        });
    });
}

describe("npm run rollout, refused requests", () => {
    let dir: string;
    let stackText: string;

    beforeAll(() => {
        dir = mkdtempSync(path.join(tmpdir(), "hwg-rollout-cli-"));
        const raw = devStackConfig();
        raw.versions.v3 = { clusters: ["mdemo-cluster1"], image: "example/helloworld-v3:1.0", retired: true };
        stackText = stringify({ config: Object.fromEntries(Object.entries(raw).map(([k, v]) => [`helloworld-grayscale:${k}`, v])) });
        writeFileSync(path.join(dir, "Pulumi.prod.yaml"), stackText);
        writeFileSync(path.join(dir, "Pulumi.bad.yaml"), stackText.replace("v2: 20", "v2: 30"));
        const waves = { ...raw, rollout: { waves: [["mdemo-cluster1"], ["mdemo-cluster2"]] } };
        writeFileSync(path.join(dir, "Pulumi.waves.yaml"), stringify({ config: Object.fromEntries(Object.entries(waves).map(([k, v]) => [`helloworld-grayscale:${k}`, v])) }));
        // The second wave moved while the first stands at the start: not a state a rollout leaves.
        const stray = structuredClone(waves) as Record<string, any>;
        stray.clusters["mdemo-cluster2"].weights = { v1: 50, v2: 50, v3: 0 };
        writeFileSync(path.join(dir, "Pulumi.stray.yaml"), stringify({ config: Object.fromEntries(Object.entries(stray).map(([k, v]) => [`helloworld-grayscale:${k}`, v])) }));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const url = ["--url", "http://127.0.0.1:9/hello"];
    it.concurrent.each([
        ["an unknown version", ["--stack", "prod", "--to", "v9", ...url], "rollout: --to v9: not a version of this stack; use one of v1, v2, v3"],
        ["a retired canary", ["--stack", "prod", "--to", "v3", ...url], "rollout: --to v3: the version is retired; set versions.v3.retired to false (and deploy it) first"],
        ["steps that do not end at 100", ["--stack", "prod", "--to", "v2", ...url, "--steps", "10,50"], "rollout: --steps '10,50' must end at 100: a rollout ends with the canary taking all traffic"],
        ["a step out of range", ["--stack", "prod", "--to", "v2", ...url, "--steps", "0,100"], "rollout: --steps '0,100': step 1, '0', must be a whole number from 1 to 100"],
        ["a pause longer than the longest given", ["--stack", "prod", "--to", "v2", ...url, "--pause", "5m", "--max-pause", "1m"],
            "rollout: --pause 5m is longer than --max-pause 1m to which a step's pause may be extended: raise the longest pause with --max-pause 5m " +
            "(or rollout.analysis.maxPause in Pulumi.prod.yaml), or give a shorter --pause"],
        ["a pause longer than the default longest (no --max-pause given)", ["--stack", "prod", "--to", "v2", ...url, "--pause", "1h"],
            "rollout: --pause 1h is longer than the longest pause, 10m (the default of rollout.analysis.maxPause), to which a step's pause may be extended: " +
            "raise the longest pause with --max-pause 1h (or rollout.analysis.maxPause in Pulumi.prod.yaml), or give a shorter --pause"],
        ["a negative pause", ["--stack", "prod", "--to", "v2", ...url, "--pause", "-5s"], "rollout: --pause '-5s' is invalid: use a duration such as 30s, 5m or 1h"],
        ["a bad verify option", ["--stack", "prod", "--to", "v2", ...url, "--tolerance", "80"], "rollout: --tolerance '80' is invalid: use a number of percentage points above 0 and below 50"],
        ["waves with one --url (which would judge every wave at one gateway)", ["--stack", "waves", "--to", "v2", ...url],
            "rollout: Pulumi.waves.yaml sets rollout.waves, which moves one wave of clusters at a time, each verified at its own gateways: " +
            "give --cluster-url <cluster>=<url> for each of mdemo-cluster1, mdemo-cluster2 instead of --url"],
        ["waves with a cluster's gateway missing", ["--stack", "waves", "--to", "v2", "--cluster-url", "mdemo-cluster1=http://127.0.0.1:9/hello"],
            "rollout: --cluster-url is missing for mdemo-cluster2: every cluster of rollout.waves is verified at its own gateway, e.g. --cluster-url mdemo-cluster2=http://<its ingress>/hello"],
        ["a gateway of a cluster not in the waves", ["--stack", "waves", "--to", "v2", "--cluster-url", "mdemo-cluster1=http://127.0.0.1:9/hello",
            "--cluster-url", "mdemo-cluster2=http://127.0.0.1:9/hello", "--cluster-url", "mdemo-cluster3=http://127.0.0.1:9/hello"],
            "rollout: --cluster-url mdemo-cluster3: not in rollout.waves (mdemo-cluster1, mdemo-cluster2)"],
        ["--cluster-url without waves", ["--stack", "prod", "--to", "v2", "--cluster-url", "mdemo-cluster1=http://127.0.0.1:9/hello"],
            "rollout: --cluster-url is for a stack with rollout.waves, which Pulumi.prod.yaml does not set: give the ingress as --url"],
        ["waves in a state no rollout leaves", ["--stack", "stray", "--to", "v2", "--cluster-url", "mdemo-cluster1=http://127.0.0.1:9/hello", "--cluster-url", "mdemo-cluster2=http://127.0.0.1:9/hello"],
            "rollout: rollout.waves[0]: at v2 20, which a rollout wave by wave never leaves (waves before the one under way at 100, those after it at the start, 20); " +
            "set its clusters' weights by hand, or remove them to start again"],
        ["a URL that is not one", ["--stack", "prod", "--to", "v2", "--url", "ingress/hello"], "rollout: --url 'ingress/hello' is not a URL; use e.g. http://<ingress>/hello"],
    ])("%s: exit 64, one line and the usage", async (_label, args, message) => {
        const { code, stdout, stderr } = await cli(dir, args);
        expect(code).toBe(64);
        expect(stdout).toBe("");
        const [first, ...usage] = stderr.trimEnd().split("\n");
        expect(first).toBe(message);
        expect(usage[0]).toMatch(/^Usage: npm run rollout -- /);
        expect(readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8")).toBe(stackText);
    });

    it.concurrent.each([
        ["a stack that does not exist", ["--stack", "nope", "--to", "v2", ...url], /^rollout: stack 'nope': cannot read stack settings .*Pulumi\.nope\.yaml: no such file$/],
        ["a stack with invalid config", ["--stack", "bad", "--to", "v2", ...url], /^rollout: stack 'bad' has invalid config: weights: v1 \+ v2 = 110; the weights must add up to exactly 100$/],
    ])("%s: exit 2 (nothing to roll out), one line", async (_label, args, message) => {
        const { code, stdout, stderr } = await cli(dir, args);
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr.trimEnd()).toMatch(message);
    });

    it("--help prints the usage and the exit codes", async () => {
        const { code, stdout } = await cli(dir, ["--help"]);
        expect(code).toBe(0);
        expect(stdout).toMatch(/^Usage: npm run rollout -- /);
        expect(stdout).toContain("a bare number is seconds");
        expect(stdout.replace(/\s+/g, " ")).toMatch(/Exit status: 0 promoted, 1 rolled back, 2 tool error \(.*\), 64 usage error\./);
    });
});
