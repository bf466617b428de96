// The split the run should find: from the stack's weights (through the same config code `pulumi up`
// runs) or from --expect. Problems become one-line UsageErrors.
import { ConfigError, describeProblem } from "../../config/index.ts";
import { deployedVersions } from "../../manifests/labels.ts";
import { loadReleaseConfig, StackFileError } from "../stack-file.ts";
import { UsageError, type ExpectationSource } from "./args.ts";
import type { ExpectedShare } from "./design.ts";

export function expectedSplit(source: ExpectationSource, projectDir: string): ExpectedShare[] {
    return source.kind === "stack" ? fromStack(source.stack, projectDir) : parseExpect(source.text);
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

function fromStack(stack: string, projectDir: string): ExpectedShare[] {
    try {
        const config = loadReleaseConfig({ stack, projectDir });
        return deployedVersions(config).map((v) => ({ version: v.name, share: v.weight / 100 }));
    } catch (err) {
        if (err instanceof StackFileError) {
            throw new UsageError(`stack '${stack}': ${err.message}`);
        }
        if (err instanceof ConfigError) {
            throw new UsageError(`stack '${stack}' has invalid config: ${err.problems.map(describeProblem).join("; ")}`);
        }
        throw err;
    }
}
