// Once per `npm run test:istio`: the istioctl to judge with (scripts/istio-tools builds it from Go
// modules once), and the corpus to judge: the unit tests run again with corpus-recorder.ts watching
// (the `corpus` project), reported in dots: the unit run proper reports the results, this one only records.
// The corpus folder is removed in teardown, also when a test failed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { PROJECT_DIR } from "../../support/dev-stack.ts";
import { istioTools } from "../../../dev/istiod/istio-tools.ts";

declare module "vitest" {
    export interface ProvidedContext {
        /** The directory holding istioctl, pilot-discovery and ingress-xds. */
        istioBin: string;
        /** Where corpus-recorder.ts wrote what the unit tests judged and planned. */
        corpusDir: string;
    }
}

let corpusDir: string | undefined;

export function setup(project: TestProject): void {
    project.provide("istioBin", istioTools());
    corpusDir = mkdtempSync(join(tmpdir(), "istio-corpus-"));
    const vitest = join(PROJECT_DIR, "node_modules", "vitest", "vitest.mjs");
    const recorded = spawnSync(process.execPath, [vitest, "run", "--project", "corpus", "--reporter", "dot"], {
        cwd: PROJECT_DIR,
        env: { ...process.env, ISTIO_CORPUS_DIR: corpusDir, VITEST_JSON_REPORT: "" },
        encoding: "utf8",
        maxBuffer: 64 << 20,
    });
    // A unit test failing here (say, a timeout on a busy machine) is the unit run's to report; the corpus
    // holds what the others judged, and the suite checks that it is not thin. A crash is another matter.
    if (recorded.status !== 0 && recorded.status !== 1) {
        throw new Error(`recording the corpus: vitest exited ${recorded.status}:\n${recorded.stdout.slice(-8000)}\n${recorded.stderr.slice(-4000)}`);
    }
    if (recorded.status === 1) {
        console.warn("test:istio: some unit tests failed while the corpus was recorded; `npm test` reports them");
    }
    project.provide("corpusDir", corpusDir);
}

export function teardown(): void {
    if (corpusDir !== undefined) {
        rmSync(corpusDir, { recursive: true, force: true });
    }
}
