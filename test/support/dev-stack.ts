import { fileURLToPath } from "node:url";
import { decodeEngineConfig } from "../../config/index.ts";
import { readStackConfig } from "../../tools/stack-file.ts";

/** The project folder, for tools run as subprocesses. */
export const PROJECT_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** A fresh copy of the dev stack's raw config (Pulumi.dev.yaml), by key name, for a test to change. */
export function devStackConfig(): Record<string, any> {
    return decodeEngineConfig(readStackConfig({ stack: "dev", projectDir: PROJECT_DIR })).raw;
}
