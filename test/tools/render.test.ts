import { spawn, spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { parseReleaseConfig, type ConfigError } from "../../config/index.ts";
import { RENDER_MARKER } from "../../tools/render/marker.ts";
import { devStackConfig, PROJECT_DIR } from "../support/dev-stack.ts";
import { exampleBlock } from "../support/docs.ts";
import { runTool } from "../support/run-tool.ts";

const tempDirs: string[] = [];
afterAll(() => {
    for (const dir of tempDirs) {
        rmSync(dir, { recursive: true, force: true });
    }
});

function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), "render-test-"));
    tempDirs.push(dir);
    return dir;
}

/** Every file in a folder with its content, to show that a run changed nothing. */
function snapshotOf(dir: string): Record<string, string> {
    return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

/** Writes a stack settings file for raw config (optionally with extra YAML appended). */
function writeStackFile(raw: Record<string, unknown>, dir = tempDir()): string {
    const file = join(dir, "Pulumi.test.yaml");
    const config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [`helloworld-grayscale:${k}`, v]));
    writeFileSync(file, stringify({ config }));
    return file;
}

function kindsAndNames(text: string): string[] {
    return parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean).map((o) => `${o.kind}/${o.metadata.name}`);
}

describe("npm run render on the dev stack", () => {
    const out = tempDir();
    const run = runTool("render", ["--out", out]);

    it("succeeds and names what it wrote", () => {
        expect(run.status).toBe(0);
        expect(run.stdout).toContain(`wrote ${out}/mdemo-cluster1.yaml (8 objects)`);
        expect(readdirSync(out).sort()).toEqual(["mdemo-cluster1.yaml", "mdemo-cluster2.yaml"]);
    });

    it.each(["mdemo-cluster1", "mdemo-cluster2"])("writes %s.yaml as reviewed", async (cluster) => {
        await expect(readFileSync(join(out, `${cluster}.yaml`), "utf8")).toMatchFileSnapshot(`__snapshots__/dev/${cluster}.yaml`);
    });

    it("orders objects by kind in apply order, then by name", () => {
        expect(kindsAndNames(readFileSync(join(out, "mdemo-cluster2.yaml"), "utf8"))).toEqual([
            "Namespace/gray-demo", "PeerAuthentication/default", "Service/helloworld", "Deployment/helloworld-v1",
            "DestinationRule/helloworld", "Gateway/gray-demo-gateway", "VirtualService/gray-demo-vs", "VirtualService/gray-demo-vs-mesh",
        ]);
    });

    it("is the default stack of `npm run render`, written to rendered/", () => {
        const cwd = tempDir();
        writeFileSync(join(cwd, "Pulumi.dev.yaml"), readFileSync(join(PROJECT_DIR, "Pulumi.dev.yaml")));
        expect(runTool("render", [], cwd).status).toBe(0);
        expect(readFileSync(join(cwd, "rendered", "mdemo-cluster1.yaml"), "utf8"))
            .toBe(readFileSync(join(out, "mdemo-cluster1.yaml"), "utf8"));
    });
});

describe("render output", () => {
    it("does not depend on the order of keys in the stack file", () => {
        const raw = devStackConfig();
        const reordered = Object.fromEntries(Object.entries(raw).reverse().map(([k, v]) =>
            [k, typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse()) : v]));
        const [a, b] = [tempDir(), tempDir()];
        expect(runTool("render", ["--config-file", writeStackFile(raw), "--out", a]).status).toBe(0);
        expect(runTool("render", ["--config-file", writeStackFile(reordered), "--out", b]).status).toBe(0);
        for (const file of readdirSync(a)) {
            expect(readFileSync(join(b, file), "utf8")).toBe(readFileSync(join(a, file), "utf8"));
        }
    });

    it("needs no credentials: a secure kubeconfig is not decrypted and never written", () => {
        const dir = tempDir();
        const file = join(dir, "Pulumi.secret.yaml");
        const stackText = readFileSync(join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8").replace(
            "      context: mdemo-cluster1\n",
            "      kubeconfig:\n        secure: v1:c2VjcmV0LWJ5dGVz:ZW5jcnlwdGVkLWt1YmVjb25maWc=\n",
        );
        writeFileSync(file, stackText);
        const out = join(dir, "out");
        const run = runTool("render", ["--config-file", file, "--out", out]);
        expect(run.status).toBe(0);
        const written = readdirSync(out).map((f) => readFileSync(join(out, f), "utf8")).join("\n");
        expect(written).not.toMatch(/kubeconfig|ZW5jcnlwdGVk|\[secret\]/);
    });

    it("puts Istio objects only in the config targets' files", () => {
        const raw = devStackConfig();
        raw.clusters = {
            "config-cluster": { context: "cp", istioConfig: true, workloads: false },
            "mdemo-cluster1": { context: "mdemo-cluster1" },
            "mdemo-cluster2": { context: "mdemo-cluster2" },
        };
        const out = tempDir();
        expect(runTool("render", ["--config-file", writeStackFile(raw), "--out", out]).status).toBe(0);
        expect(kindsAndNames(readFileSync(join(out, "config-cluster.yaml"), "utf8"))).toEqual([
            "Namespace/gray-demo", "PeerAuthentication/default", "DestinationRule/helloworld",
            "Gateway/gray-demo-gateway", "VirtualService/gray-demo-vs", "VirtualService/gray-demo-vs-mesh",
        ]);
        expect(kindsAndNames(readFileSync(join(out, "mdemo-cluster1.yaml"), "utf8"))).toEqual([
            "Namespace/gray-demo", "Service/helloworld", "Deployment/helloworld-v2",
        ]);
    });

    it("removes the file of a cluster that left the stack", () => {
        const out = tempDir();
        writeFileSync(join(out, "old-cluster.yaml"), `${RENDER_MARKER}\n# Cluster old-cluster, from Pulumi.dev.yaml.\n`);
        const run = runTool("render", ["--out", out]);
        expect(run.status).toBe(0);
        expect(run.stdout).toContain(`removed ${out}/old-cluster.yaml`);
        expect(existsSync(join(out, "old-cluster.yaml"))).toBe(false);
    });
});

describe("render's output folder holds other files too (issue #9.1)", () => {
    it("--out . in the project folder keeps Pulumi.yaml and the stack files", () => {
        const cwd = tempDir();
        for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml"]) {
            writeFileSync(join(cwd, file), readFileSync(join(PROJECT_DIR, file)));
        }
        const before = snapshotOf(cwd);
        const run = runTool("render", ["--out", "."], cwd);
        expect(run.status).toBe(0);
        expect(run.stdout).not.toContain("removed");
        const after = snapshotOf(cwd);
        expect(Object.keys(after)).toEqual(["Pulumi.dev.yaml", "Pulumi.yaml", "mdemo-cluster1.yaml", "mdemo-cluster2.yaml"]);
        expect(after["Pulumi.yaml"]).toBe(before["Pulumi.yaml"]);
        expect(after["Pulumi.dev.yaml"]).toBe(before["Pulumi.dev.yaml"]);
    });

    it("keeps a .yaml file it did not write, even one that names no cluster of the stack", () => {
        const out = tempDir();
        writeFileSync(join(out, "my-own.yaml"), "# Cluster old: my notes, not rendered\nkind: ConfigMap\n");
        const run = runTool("render", ["--out", out]);
        expect(run.status).toBe(0);
        expect(readFileSync(join(out, "my-own.yaml"), "utf8")).toContain("my notes");
    });

    it("replaces and removes the files of an older render, whose first line was its header", () => {
        const out = tempDir();
        const header = (cluster: string) => `# Cluster ${cluster}: rendered from Pulumi.dev.yaml by \`npm run render\`. Do not edit.\n---\n`;
        writeFileSync(join(out, "mdemo-cluster1.yaml"), header("mdemo-cluster1"));
        writeFileSync(join(out, "gone.yaml"), header("gone"));
        const run = runTool("render", ["--out", out]);
        expect(run.status).toBe(0);
        expect(readdirSync(out).sort()).toEqual(["mdemo-cluster1.yaml", "mdemo-cluster2.yaml"]);
        expect(readFileSync(join(out, "mdemo-cluster1.yaml"), "utf8").startsWith(RENDER_MARKER)).toBe(true);
    });

    it("refuses to overwrite a file it did not write: exit 2, one line naming it, nothing written", () => {
        const out = tempDir();
        writeFileSync(join(out, "mdemo-cluster2.yaml"), "kind: ConfigMap\n");
        const before = snapshotOf(out);
        const run = runTool("render", ["--out", out]);
        expect(run.status).toBe(2);
        expect(run.stderr).toBe(`render: ${join(out, "mdemo-cluster2.yaml")} exists and was not written by render; ` +
            "nothing was written (move the file away or choose another --out)\n");
        expect(run.stdout).toBe("");
        expect(snapshotOf(out)).toEqual(before);
    });

    it("replaces its own files whole, through a new file renamed into place", () => {
        const out = tempDir();
        expect(runTool("render", ["--out", out]).status).toBe(0);
        const first = readFileSync(join(out, "mdemo-cluster1.yaml"), "utf8");
        // A hard link still names the old file after a rename; a file rewritten in place would show through it.
        linkSync(join(out, "mdemo-cluster1.yaml"), join(out, "link-to-old"));
        const inode = statSync(join(out, "mdemo-cluster1.yaml")).ino;
        expect(runTool("render", ["--out", out]).status).toBe(0);
        expect(statSync(join(out, "mdemo-cluster1.yaml")).ino).not.toBe(inode);
        expect(readFileSync(join(out, "link-to-old"), "utf8")).toBe(first);
        expect(readdirSync(out).sort()).toEqual(["link-to-old", "mdemo-cluster1.yaml", "mdemo-cluster2.yaml"]);
    });
});

describe("reviewing a change by comparing two renders (docs/render-analyze.md, issue #9.5)", () => {
    it("this repository ignores rendered/: renders are compared, not committed", () => {
        expect(readFileSync(join(PROJECT_DIR, ".gitignore"), "utf8").split("\n")).toContain("rendered/");
    });

    it("the page's marked example, run as written: a 50/50 split changes only the weights and the header's source", () => {
        // Its /tmp/ paths become a folder of this run's own; bash, sed, diff and npm come from the
        // machine's PATH, after the Node that runs the tests (which scripts/npm then uses).
        const dir = tempDir();
        const script = exampleBlock("docs/render-analyze.md", "compare-renders").join("\n").replaceAll("/tmp/", `${dir}/`);
        const run = spawnSync("bash", ["-c", script], {
            cwd: PROJECT_DIR,
            encoding: "utf8",
            env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` },
        });
        expect(run.status, run.stderr).toBe(1); // diff's: the folders differ
        const changed = (sign: string) => run.stdout.split("\n")
            .filter((line) => line.startsWith(sign) && !line.startsWith(sign.repeat(3))).map((line) => line.slice(1).trim()).sort();
        for (const cluster of ["mdemo-cluster1", "mdemo-cluster2"]) {
            expect(run.stdout).toContain(`diff -ru ${dir}/before/${cluster}.yaml ${dir}/after/${cluster}.yaml`);
        }
        expect(changed("-")).toEqual([
            "# Cluster mdemo-cluster1, from Pulumi.dev.yaml.", "# Cluster mdemo-cluster2, from Pulumi.dev.yaml.",
            ...Array(4).fill("weight: 20"), ...Array(4).fill("weight: 80"),
        ]);
        expect(changed("+")).toEqual([
            "# Cluster mdemo-cluster1, from Pulumi.half.yaml.", "# Cluster mdemo-cluster2, from Pulumi.half.yaml.",
            ...Array(8).fill("weight: 50"),
        ]);
    });
});

describe("a render killed before its rename", () => {
    it("leaves a temporary file that the next render removes, but not one of a render still running", async () => {
        const out = tempDir();
        // A process that has exited: its pid is free, as a killed render's is.
        const gone = spawn(process.execPath, ["-e", ""]);
        await new Promise((resolve) => gone.once("exit", resolve));
        const killed = `.mdemo-cluster1.yaml.render-${gone.pid}.tmp`;
        const running = `.mdemo-cluster2.yaml.render-${process.pid}.tmp`;
        writeFileSync(join(out, killed), `${RENDER_MARKER}\n# Cluster mdemo-cluster1, fr`);
        writeFileSync(join(out, running), `${RENDER_MARKER}\n`);
        expect(runTool("render", ["--out", out]).status).toBe(0);
        expect(readdirSync(out).sort()).toEqual([running, "mdemo-cluster1.yaml", "mdemo-cluster2.yaml"]);
    });
});

describe("render with an unusable --out", () => {
    it("--out <a regular file>: exit 2, one line", () => {
        const file = join(tempDir(), "notes.txt");
        writeFileSync(file, "mine\n");
        const run = runTool("render", ["--out", file]);
        expect(run.status).toBe(2);
        expect(run.stderr).toBe(`render: --out ${file} is a file, not a folder; give a folder for the rendered files\n`);
        expect(readFileSync(file, "utf8")).toBe("mine\n");
    });

    it("--out below a regular file: exit 2, one line", () => {
        const file = join(tempDir(), "notes.txt");
        writeFileSync(file, "mine\n");
        const run = runTool("render", ["--out", join(file, "out")]);
        expect(run.status).toBe(2);
        expect(run.stderr).toBe(`render: cannot create the output folder ${join(file, "out")}: ${file} is a file, not a folder\n`);
    });

    it.runIf(existsSync("/proc/self"))("--out /proc/x (a folder that cannot be created): exit 2, one line, at once", () => {
        const run = runTool("render", ["--out", "/proc/x"], PROJECT_DIR, 20_000);
        expect(run.status).toBe(2);
        expect(run.stderr).toBe("render: cannot create the output folder /proc/x: no such file or directory\n");
    });
});

describe("render with invalid config", () => {
    it("exits 2 (a tool error: the stack cannot be rendered) with the same messages as the program, and writes nothing", () => {
        const raw = devStackConfig();
        raw.weights = { v1: 80, v2: 30 };
        raw.versions.v2.clusters = ["mdemo-cluster9"];
        let expected = "";
        try {
            parseReleaseConfig(raw);
        } catch (err) {
            expected = (err as ConfigError).message;
        }
        expect(expected).toContain("(2 problems)");
        const out = join(tempDir(), "out");
        const run = runTool("render", ["--config-file", writeStackFile(raw), "--out", out]);
        expect(run.status).toBe(2);
        expect(run.stderr.trim()).toBe(expected);
        expect(existsSync(out)).toBe(false);
    });

    it.each<[string[], number, RegExp]>([
        [["--stack", "nosuch"], 2, /^render: cannot read stack settings .*Pulumi\.nosuch\.yaml: no such file$/],
        [["--frobnicate"], 64, /^render: Unknown option '--frobnicate'/],
        [["--stack", "dev", "--config-file", "Pulumi.dev.yaml"], 64, /^render: give one of --stack or --config-file, not both$/],
        [["--out"], 64, /^render: Option '--out <value>' argument missing/],
        [["rendered"], 64, /^render: Unexpected argument 'rendered'/],
    ])("%j exits %i with one clear line", (args, status, message) => {
        const run = runTool("render", args);
        expect(run.status).toBe(status);
        expect(run.stderr.split("\n")[0]).toMatch(message);
        expect(run.stderr).not.toContain("    at ");
    });
});
