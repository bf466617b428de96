// Which Node runs the project is stated once, in package.json's engines, and must be what the locked
// dependencies really need (issue #9.2): scripts/check-node.cjs judges it for `npm run` and scripts/npm,
// and `npm ci` enforces it (engine-strict).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import semver from "semver";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_DIR } from "../support/dev-stack.ts";
import { shellEnv } from "../support/shell-env.ts";

const projectRange = (JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
const lock = JSON.parse(readFileSync(join(PROJECT_DIR, "package-lock.json"), "utf8")) as {
    packages: Record<string, { engines?: { node?: string } | string[] }>;
};
/** Every locked dependency's engines.node (old packages sometimes give engines as a list: no range). */
const dependencyRanges = Object.entries(lock.packages)
    .filter(([path]) => path !== "")
    .flatMap(([path, p]) => (p.engines !== undefined && !Array.isArray(p.engines) && p.engines.node !== undefined ? [[path, p.engines.node] as const] : []));

const VERSIONS = ["18.20.0", "20.19.0", "22.12.0", "22.18.0", "22.19.0", "22.22.0", "23.11.0", "24.0.0", "24.21.0", "25.2.0", "26.0.0", "27.1.0"];

function checkNode(version: string): number | null {
    return spawnSync(process.execPath, [join(PROJECT_DIR, "scripts", "check-node.cjs"), version], { encoding: "utf8" }).status;
}

describe("package.json engines", () => {
    it("is what the locked dependencies need: a version fits it exactly when it fits every dependency", () => {
        expect(dependencyRanges.length).toBeGreaterThan(100);
        const disagreements = VERSIONS.filter((version) => {
            const everyDependency = dependencyRanges.every(([, range]) => semver.satisfies(version, range));
            return semver.satisfies(version, projectRange) !== everyDependency;
        }).map((version) => `${version}: blocked by ${dependencyRanges.filter(([, range]) => !semver.satisfies(version, range)).map(([path]) => path).join(", ") || "nothing"}`);
        expect(disagreements).toEqual([]);
    });

    it("npm ci enforces it: .npmrc sets engine-strict", () => {
        expect(readFileSync(join(PROJECT_DIR, ".npmrc"), "utf8").split("\n")).toContain("engine-strict=true");
    });

    it("every npm script checks the Node first", () => {
        const scripts = (JSON.parse(readFileSync(join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
        expect(Object.entries(scripts).filter(([, command]) => !command.startsWith("node scripts/check-node.cjs && "))).toEqual([]);
    });
});

describe("scripts/check-node.cjs", () => {
    it.each(VERSIONS)("judges %s as semver does", (version) => {
        expect(checkNode(version)).toBe(semver.satisfies(version, projectRange) ? 0 : 1);
    });

    it("passes the Node running the tests silently", () => {
        const run = spawnSync(process.execPath, [join(PROJECT_DIR, "scripts", "check-node.cjs")], { encoding: "utf8" });
        expect(run.status).toBe(0);
        expect(run.stderr).toBe("");
    });
});

// Where the machine has an older Node than the project needs (this project's CI machine does), plain
// npm with it must say so in one line.
const oldNode = (process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "node")).find((node) => {
    const version = spawnSync(node, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout?.trim();
    return version !== undefined && semver.valid(version) !== null && !semver.satisfies(version, projectRange);
});

describe.runIf(oldNode !== undefined)("plain npm with an older Node on the machine", () => {
    const work = mkdtempSync(join(tmpdir(), "check-node-"));
    afterAll(() => rmSync(work, { recursive: true, force: true }));
    const oldPath = `${join(oldNode ?? "", "..")}${delimiter}${process.env.PATH ?? ""}`;

    it("npm run <script> fails with one line that names the Node needed", () => {
        const run = spawnSync("npm", ["run", "--silent", "render", "--", "--out", join(work, "out")], {
            cwd: PROJECT_DIR, encoding: "utf8", env: shellEnv({ PATH: oldPath }),
        });
        expect(run.status).toBe(1);
        expect(run.stderr.trim()).toMatch(/^helloworld-grayscale needs Node\.js \^22\.19\.0 \|\| \^24\.0\.0 \|\| >=26\.0\.0 \(package\.json engines\); this is v\d+\.\d+\.\d+\. Run the command through scripts\/npm/);
        expect(run.stderr).not.toContain("ERR_UNKNOWN_FILE_EXTENSION");
    });

    it("npm ci refuses it with EBADENGINE before installing anything", () => {
        const copy = join(work, "project");
        mkdirSync(join(copy, "policy"), { recursive: true });
        for (const file of ["package.json", "package-lock.json", ".npmrc", "policy/package.json"]) {
            copyFileSync(join(PROJECT_DIR, file), join(copy, file));
        }
        const run = spawnSync("npm", ["ci", "--dry-run", "--offline", "--no-audit", "--no-fund"], {
            cwd: copy, encoding: "utf8", env: shellEnv({ PATH: oldPath }),
        });
        expect(run.status).not.toBe(0);
        expect(run.stderr).toContain("EBADENGINE");
        expect(run.stderr).toContain(`Required: {"node":"${projectRange}"}`);
    });
});
