// What the engine handed this program, read from Pulumi's Node.js runtime: every key of the stack
// (not only the ones this program knows, so that a misspelt key is reported rather than ignored).
import * as pulumi from "@pulumi/pulumi";
import { isConfigSecret } from "@pulumi/pulumi/runtime/config.js";
import type { EngineConfig } from "./engine-config.ts";

export function engineConfigFromRuntime(): EngineConfig {
    const values = pulumi.runtime.allConfig();
    return { values, secretKeys: Object.keys(values).filter((key) => isConfigSecret(key)) };
}
