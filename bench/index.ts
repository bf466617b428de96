// `npm run bench`: every benchmark of the project in one run, each figure beside its target; exits 1
// when any target is missed.
// Ratios are measured side by side within a section, so they hold on a slower or busier machine.
import { fileURLToPath } from "node:url";
import { benchVerdict } from "../harness/bench-verdict.ts";
import { benchAnalyze } from "./analyze.ts";
import { benchAnalyzeLargeFile } from "./analyze-large-file.ts";
import { benchRender } from "./render.ts";
import { benchRollout } from "./rollout.ts";
import { type BenchSection, printSection } from "./section.ts";
import { benchVerify } from "./verify.ts";

const projectDir = fileURLToPath(new URL("..", import.meta.url));

const sections: BenchSection[] = [];
for (const run of [() => benchRender(projectDir), benchAnalyze, benchAnalyzeLargeFile, benchVerify, () => benchRollout(projectDir)]) {
    const section = await run();
    printSection(section);
    sections.push(section);
}
const verdict = benchVerdict(sections);
console.log(`\n${verdict.text}`);
process.exitCode = verdict.exitCode;
