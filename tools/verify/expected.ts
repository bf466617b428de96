// The split the run should find: from the stack's weights (through the same config code `pulumi up`
// runs) or from --expect. A bad --expect is a UsageError; a stack that cannot be read, a ToolError.
import { deployedVersions } from "../../manifests/labels.ts";
import { UsageError } from "../command/errors.ts";
import { readCommandStack } from "../stack-file.ts";
import type { ExpectedShare } from "./design.ts";
import type { ExpectationSource } from "./options.ts";

/** The split to find and, from a stack, how its app's answers name their version (`app.versionPattern`). */
export interface Expectation {
    expected: ExpectedShare[];
    versionPattern?: RegExp;
}

export function expectedSplit(source: ExpectationSource, projectDir: string): Expectation {
    return source.kind === "stack" ? fromStack(source.stack, projectDir) : { expected: parseExpect(source.text) };
}

/** "v1=80,v2=20" (percentages adding up to 100) into shares; `flag` names the option in messages. */
export function parseExpect(text: string, flag = "--expect"): ExpectedShare[] {
    const example = "use name=percent pairs adding up to 100, e.g. v1=80,v2=20";
    const pairs = text.split(",").map((p) => p.trim());
    const shares: ExpectedShare[] = [];
    for (const pair of pairs) {
        const match = /^([^=\s]+)=(\d+(?:\.\d+)?)$/.exec(pair);
        if (match === null || match[1] === undefined) {
            throw new UsageError(`${flag} '${text}': '${pair}' is not name=percent; ${example}`);
        }
        if (shares.some((s) => s.version === match[1])) {
            throw new UsageError(`${flag} '${text}': '${match[1]}' appears twice; ${example}`);
        }
        shares.push({ version: match[1], share: Number(match[2]) / 100 });
    }
    const total = shares.reduce((sum, s) => sum + s.share * 100, 0);
    if (Math.abs(total - 100) > 1e-9) {
        throw new UsageError(`${flag} '${text}' adds up to ${+total.toFixed(6)}, not 100; ${example}`);
    }
    return shares;
}

function fromStack(stack: string, projectDir: string): Expectation {
    const { config } = readCommandStack(stack, projectDir);
    return {
        expected: deployedVersions(config).map((v) => ({ version: v.name, share: v.weight / 100 })),
        versionPattern: new RegExp(config.app.versionPattern),
    };
}
