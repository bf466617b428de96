// A copy of the project folder for tests that run the README's commands as a user types them: those
// write Pulumi.dev.yaml (`config set-all`, and `stack init`'s passphrase salt), which must stay as
// committed in the clone that other tests read. Pulumi.yaml and Pulumi.dev.yaml are copied; the
// program, package.json, node_modules and the folders `npm run verify` and `npm run rollout` run
// from are links, so Node resolves every import in the clone.
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { projectMain } from "../../dev/engine/project-main.ts";
import { PROJECT_DIR } from "./dev-stack.ts";

export interface ProjectCopy {
    dir: string;
    remove(): void;
}

export function projectCopy(): ProjectCopy {
    const dir = mkdtempSync(path.join(tmpdir(), "hwg-project-"));
    for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml"]) {
        copyFileSync(path.join(PROJECT_DIR, file), path.join(dir, file));
    }
    for (const entry of [projectMain(PROJECT_DIR), "package.json", "node_modules", "scripts", "tools", "policy"]) {
        symlinkSync(path.join(PROJECT_DIR, entry), path.join(dir, entry));
    }
    return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
