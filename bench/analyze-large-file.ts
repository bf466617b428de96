// `npm run bench`, analyze over one large file: 20 000 documents in one YAML file, beside 10 000, to show
// that reading a file is linear in its documents (a scan from the top of the file for every document
// once made 20 000 take 75 s).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyzePaths } from "../tools/analyze/main.ts";
import { manyDocuments } from "./many-documents.ts";
import type { BenchSection } from "./section.ts";
import { elapsedMs, formatMs, formatRatio, median, timeSideBySide } from "./timing.ts";

const PROJECT_DIR = fileURLToPath(new URL("..", import.meta.url));
const SMALL = 10_000;
const LARGE = 20_000;
const CLI_ROUNDS = 3;
const IN_PROCESS_ROUNDS = 5;
const CLI_TARGET_MS = 3000;
/** Twice the documents may take at most 1.3 times twice the time (linear is 1x). */
const LINEAR_TOLERANCE = 1.3;

export async function benchAnalyzeLargeFile(): Promise<BenchSection> {
    const work = mkdtempSync(join(tmpdir(), "bench-analyze-file-"));
    try {
        const files = { small: join(work, `${SMALL}.yaml`), large: join(work, `${LARGE}.yaml`) };
        writeFileSync(files.small, manyDocuments(SMALL));
        writeFileSync(files.large, manyDocuments(LARGE));
        const cli = timeSideBySide({ small: ["tools/analyze.ts", files.small], large: ["tools/analyze.ts", files.large] }, PROJECT_DIR, CLI_ROUNDS);
        // In process, interleaved, after the warm-up the CLI runs gave the file cache: Node's start-up
        // would otherwise hide part of a non-linear cost.
        const samples = { small: [] as number[], large: [] as number[] };
        for (let round = 0; round < IN_PROCESS_ROUNDS; round++) {
            samples.small.push(elapsedMs(() => analyzePaths([files.small])));
            samples.large.push(elapsedMs(() => analyzePaths([files.large])));
        }
        const [small, large] = [median(samples.small), median(samples.large)];
        const perDocument = large / (2 * small);
        const [cliSmall, cliLarge] = [cli["small"] ?? NaN, cli["large"] ?? NaN];
        await Promise.resolve();
        return {
            title: `analyze over one file of many documents (Service, ServiceAccount, ConfigMap, Deployment per app; ` +
                `CLI median of ${CLI_ROUNDS} runs, in-process median of ${IN_PROCESS_ROUNDS})`,
            lines: [
                { name: `npm run analyze, ${LARGE} documents (whole process)`, value: formatMs(cliLarge), target: `< ${CLI_TARGET_MS / 1000} s`, ok: cliLarge < CLI_TARGET_MS },
                { name: `npm run analyze, ${SMALL} documents (whole process)`, value: formatMs(cliSmall) },
                { name: `in process, ${SMALL} / ${LARGE} documents`, value: `${formatMs(small)} / ${formatMs(large)}` },
                { name: `in process, ${LARGE} vs 2 x ${SMALL} documents`, value: formatRatio(perDocument), target: `<= ${LINEAR_TOLERANCE}x (linear: 1x)`, ok: perDocument <= LINEAR_TOLERANCE },
            ],
        };
    } finally {
        rmSync(work, { recursive: true, force: true });
    }
}
