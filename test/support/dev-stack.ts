import { fileURLToPath } from "node:url";
import { readStackConfig } from "../../tools/stack-file.ts";

/** The project folder, for tools run as subprocesses. */
export const PROJECT_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** A fresh copy of the dev stack's raw config (Pulumi.dev.yaml), for a test to change. */
export function devStackConfig(): Record<string, any> {
    return readStackConfig({ stack: "dev", projectDir: PROJECT_DIR });
}
