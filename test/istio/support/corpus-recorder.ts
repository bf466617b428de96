// A setup file for one run of the unit tests (vitest.config.ts's `corpus` project): it records every
// stack of objects the policy pack is asked to judge and every release the program plans, as JSON lines
// under $ISTIO_CORPUS_DIR, so that the Istio suite can put each of them in front of Istio's own validation.
// It changes no result: the recorded functions are called through unchanged.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { expect, vi } from "vitest";
import type { ReleaseCluster } from "../../../config/index.ts";
import type { ClusterPlan } from "../../../manifests/types.ts";
import type { K8sObject } from "../../../policy/lib/model.ts";
import { UNKNOWN_MARK, type CorpusEntry } from "./corpus.ts";

const dir = process.env["ISTIO_CORPUS_DIR"];
if (dir === undefined) {
    throw new Error("corpus-recorder.ts runs only in the `corpus` project of vitest.config.ts, with ISTIO_CORPUS_DIR set");
}
const file = join(dir, `${process.pid}.jsonl`);

function record(entry: CorpusEntry): void {
    // Symbols (the pack's UNKNOWN) would vanish from JSON; keep a mark so the reader can skip them.
    appendFileSync(file, JSON.stringify(entry, (_key, value: unknown) => (typeof value === "symbol" ? UNKNOWN_MARK : value)) + "\n");
}

function testFile(): string {
    return expect.getState().testPath ?? "(unknown test file)";
}

vi.mock(import("../../../policy/lib/rule.ts"), async (importOriginal) => {
    const original = await importOriginal();
    return {
        ...original,
        evaluate: (...args: Parameters<typeof original.evaluate>) => {
            const objects: readonly K8sObject[] = args[1];
            record({
                origin: "policy fixture",
                test: testFile(),
                clusters: groupBy(objects.map((o) => [o.cluster.name, o.body])),
            });
            return original.evaluate(...args);
        },
    };
});

vi.mock(import("../../../manifests/plan.ts"), async (importOriginal) => {
    const original = await importOriginal();
    return {
        ...original,
        planRelease: <C extends ReleaseCluster>(config: Parameters<typeof original.planRelease<C>>[0]) => {
            const plans: ClusterPlan<C>[] = original.planRelease(config);
            record({
                origin: "render",
                test: testFile(),
                clusters: Object.fromEntries(plans.map((p) => [p.cluster.name, [...p.manifests]])),
            });
            return plans;
        },
    };
});

function groupBy(pairs: [string, unknown][]): Record<string, unknown[]> {
    const groups: Record<string, unknown[]> = {};
    for (const [key, value] of pairs) {
        (groups[key] ??= []).push(value);
    }
    return groups;
}
