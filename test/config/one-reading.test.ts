// One reading of the stack file (issue #9.4, #10.1): each stack file of the table (stack-files.ts) is
// parsed twice, by render's reader (tools/stack-file.ts) and by the program's own reading of Pulumi's
// runtime config (config/pulumi-runtime.ts, as index.ts does it), fed the strings the Pulumi CLI hands
// a program for that file. Both must give the same ReleaseConfig, or the same problems.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, describeProblem, parseEngineConfig, type ReleaseConfig } from "../../config/index.ts";
import { engineConfigFromRuntime } from "../../config/pulumi-runtime.ts";
import { readStackConfig } from "../../tools/stack-file.ts";
import { rows } from "./stack-files.ts";

type Outcome = { config: ReleaseConfig } | { problems: string[] };

function outcome(read: () => ReleaseConfig): Outcome {
    try {
        return { config: read() };
    } catch (err) {
        if (err instanceof ConfigError) {
            return { problems: err.problems.map(describeProblem) };
        }
        throw err;
    }
}

/** A secret's value differs by design (render never decrypts): compare where it is, not what it says. */
function maskSecrets(result: Outcome): Outcome {
    return "config" in result
        ? { config: { ...result.config, clusters: result.config.clusters.map((c) => (c.kubeconfig === undefined ? c : { ...c, kubeconfig: "<secret>" })) } }
        : result;
}

const dir = mkdtempSync(join(tmpdir(), "one-reading-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(rows)("%s", (title, row) => {
    const file = join(dir, `Pulumi.${rows.findIndex(([t]) => t === title)}.yaml`);
    writeFileSync(file, row.yaml);

    const byRender = () => outcome(() => parseEngineConfig(readStackConfig({ configFile: file })));
    const byProgram = () => {
        // What the Node SDK's language runtime does with the engine's RunRequest: PULUMI_CONFIG and its secret keys.
        pulumi.runtime.setAllConfig(row.engine, row.secretKeys ?? []);
        return outcome(() => parseEngineConfig(engineConfigFromRuntime()));
    };

    it("reads the same under render and under the program", () => {
        expect(maskSecrets(byRender())).toEqual(maskSecrets(byProgram()));
    });

    it("gives the expected result", () => {
        const result = byProgram();
        if ("problems" in row.expected) {
            expect(result).toEqual({ problems: row.expected.problems });
        } else {
            expect("config" in result ? result.config : result).toMatchObject(row.expected.config);
        }
    });
});
