// The one-reading table (test/config/stack-files.ts) writes out by hand what the Pulumi CLI hands the
// program for each stack file; this checks those strings against the real CLI, so the unit test that
// feeds them to the program tests Pulumi's behaviour, not a guess. Rows with secrets are left out:
// their ciphertext is made up, and no passphrase decrypts it.
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import { rows } from "../config/stack-files.ts";

describe("what the Pulumi CLI hands the program for each stack file of the one-reading table", () => {
    let workspace: PulumiWorkspace;

    beforeAll(() => {
        workspace = new PulumiWorkspace({ engineBin: inject("engineBin"), config: {} });
    });
    afterAll(() => workspace.remove());

    it.each(rows.filter(([, row]) => row.secretKeys === undefined))("%s", (_title, row) => {
        writeFileSync(workspace.stackFile, row.yaml);
        // `--json` reports the config the program ran with, whether or not the program then failed.
        const preview = workspace.run(["preview", "--json"]);
        const { config } = JSON.parse(preview.stdout) as { config: Record<string, string> };
        // Pulumi.yaml's project-level `pulumi:` setting reaches the program too; it is not the stack file's.
        const stackConfig = Object.fromEntries(Object.entries(config).filter(([key]) => !key.startsWith("pulumi:")));
        expect(stackConfig).toEqual(row.engine);
    });
});
