// scripts/rollout-commit, which rollout.yml runs after a rollout: the stack file's weights end on main,
// also when main moved meanwhile; nothing is committed when nothing changed. Real git, temporary repos.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../support/dev-stack.ts";

const SCRIPT = path.join(PROJECT_DIR, "scripts/rollout-commit");
const IDENTITY = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };

function git(cwd: string, ...args: string[]): string {
    const result = spawnSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...IDENTITY } });
    if (result.status !== 0) {
        throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
    }
    return result.stdout.trim();
}

const stackFile = (v1: number, v2: number) => `config:\n  helloworld-grayscale:weights:\n    v1: ${v1}\n    v2: ${v2}\n`;

describe("scripts/rollout-commit", () => {
    let root: string;
    let origin: string;
    let runner: string;

    beforeEach(() => {
        root = mkdtempSync(path.join(tmpdir(), "hwg-commit-"));
        origin = path.join(root, "origin.git");
        git(root, "init", "--quiet", "--bare", "--initial-branch=main", origin);
        const seed = path.join(root, "seed");
        git(root, "clone", "--quiet", origin, seed);
        writeFileSync(path.join(seed, "Pulumi.prod.yaml"), stackFile(100, 0));
        writeFileSync(path.join(seed, "README.md"), "one\n");
        git(seed, "add", ".");
        git(seed, "commit", "--quiet", "-m", "seed");
        git(seed, "push", "--quiet", "origin", "HEAD:main");
        runner = path.join(root, "runner");
        git(root, "clone", "--quiet", origin, runner);
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    const run = (status: string) => spawnSync("bash", [SCRIPT, "prod", "v2", status, "main"], { cwd: runner, encoding: "utf8", env: { ...process.env, ...IDENTITY } });
    const onMain = (file: string) => git(root, "--git-dir", origin, "show", `main:${file}`);

    it("pushes the promoted weights to main, saying what the rollout did", () => {
        writeFileSync(path.join(runner, "Pulumi.prod.yaml"), stackFile(0, 100));
        const result = run("0");
        expect(result.status, result.stderr).toBe(0);
        expect(onMain("Pulumi.prod.yaml")).toBe(stackFile(0, 100).trim());
        expect(git(root, "--git-dir", origin, "log", "-1", "--format=%s%n%b", "main")).toBe(
            "Rollout of v2 on stack prod: promoted\n-    v1: 100\n-    v2: 0\n+    v1: 0\n+    v2: 100");
    });

    it("replays the weights on top of main when main moved during the rollout", () => {
        const other = path.join(root, "other");
        git(root, "clone", "--quiet", origin, other);
        writeFileSync(path.join(other, "README.md"), "two\n");
        git(other, "commit", "--quiet", "-am", "meanwhile");
        git(other, "push", "--quiet", "origin", "HEAD:main");
        writeFileSync(path.join(runner, "Pulumi.prod.yaml"), stackFile(90, 10));
        const result = run("1");
        expect(result.status, result.stderr).toBe(0);
        expect(onMain("Pulumi.prod.yaml")).toBe(stackFile(90, 10).trim());
        expect(onMain("README.md")).toBe("two");
        expect(git(root, "--git-dir", origin, "log", "-1", "--format=%s", "main")).toBe("Rollout of v2 on stack prod: rolled back");
    });

    it("commits nothing when the weights did not change", () => {
        const before = git(root, "--git-dir", origin, "rev-parse", "main");
        const result = run("2");
        expect(result.status).toBe(0);
        expect(result.stdout).toContain("Pulumi.prod.yaml is unchanged");
        expect(git(root, "--git-dir", origin, "rev-parse", "main")).toBe(before);
    });

    it("fails, leaving main alone, when main changed the same weights meanwhile", () => {
        const other = path.join(root, "other");
        git(root, "clone", "--quiet", origin, other);
        writeFileSync(path.join(other, "Pulumi.prod.yaml"), stackFile(50, 50));
        git(other, "commit", "--quiet", "-am", "hand edit");
        git(other, "push", "--quiet", "origin", "HEAD:main");
        writeFileSync(path.join(runner, "Pulumi.prod.yaml"), stackFile(75, 25));
        const result = run("2");
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("main changed Pulumi.prod.yaml meanwhile");
        expect(onMain("Pulumi.prod.yaml")).toBe(stackFile(50, 50).trim());
    });
});
