// `npm run bench`: every benchmark of the project in one run, each figure beside its target.
// Ratios are measured side by side within a section, so they hold on a slower or busier machine.
import { fileURLToPath } from "node:url";
import { benchAnalyze } from "./analyze.ts";
import { benchRender } from "./render.ts";
import { type BenchSection, printSection } from "./section.ts";
import { benchVerify } from "./verify.ts";

const projectDir = fileURLToPath(new URL("..", import.meta.url));

const sections: BenchSection[] = [];
for (const run of [() => benchRender(projectDir), benchAnalyze, benchVerify]) {
    const section = await run();
    printSection(section);
    sections.push(section);
}
const missed = sections.flatMap((s) => s.lines.filter((l) => l.ok === false).map((l) => `${s.title}: ${l.name}`));
console.log(missed.length === 0 ? "\nall targets met" : `\ntargets missed:\n  ${missed.join("\n  ")}`);
