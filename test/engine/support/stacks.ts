// The stacks the engine tests run: the dev stack's file as it is committed, and a generated
// ten-cluster stack (every version on every cluster, every cluster a config target).
import { readFileSync } from "node:fs";
import path from "node:path";
import { generateStackFile } from "../../../harness/generate-stack.ts";
import { stackFileConfig } from "../../../dev/engine/render-mode.ts";
import { PROJECT_DIR } from "../../support/dev-stack.ts";

export function devStack(): Record<string, unknown> {
    return stackFileConfig(readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8"));
}

export function tenClusterStack(): Record<string, unknown> {
    return stackFileConfig(generateStackFile(10, 2));
}
