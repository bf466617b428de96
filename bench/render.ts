// `npm run render` against a process that only loads the Pulumi SDKs (the floor of any Pulumi
// program's start-up), and against itself on a 50-cluster x 10-version stack.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateStackFile } from "../harness/generate-stack.ts";
import type { BenchSection } from "./section.ts";
import { formatMs, formatRatio, timeSideBySide } from "./timing.ts";

const ROUNDS = 15;
const DEV_TARGET = 1.3;
const LARGE_TARGET = 2;

export function benchRender(projectDir: string): BenchSection {
    const work = mkdtempSync(join(tmpdir(), "bench-render-"));
    const largeStack = join(work, "Pulumi.large.yaml");
    writeFileSync(largeStack, generateStackFile(50, 10));

    const times = timeSideBySide({
        baseline: ["--input-type=module", "-e", "import '@pulumi/pulumi'; import '@pulumi/kubernetes';"],
        dev: ["tools/render.ts", "--out", join(work, "dev")],
        large: ["tools/render.ts", "--config-file", largeStack, "--out", join(work, "large")],
    }, projectDir, ROUNDS);
    const [baseline, dev, large] = [times.baseline ?? NaN, times.dev ?? NaN, times.large ?? NaN];
    return {
        title: `render (median of ${ROUNDS} runs each, interleaved; whole processes)`,
        lines: [
            { name: "baseline: node loading @pulumi/pulumi + @pulumi/kubernetes", value: formatMs(baseline) },
            { name: "render dev stack (2 clusters x 2 versions)", value: formatMs(dev) },
            { name: "render 50 clusters x 10 versions", value: formatMs(large) },
            { name: "dev render / baseline", value: formatRatio(dev / baseline), target: `<= ${DEV_TARGET}x`, ok: dev / baseline <= DEV_TARGET },
            { name: "50x10 render / dev render", value: formatRatio(large / dev), target: `<= ${LARGE_TARGET}x`, ok: large / dev <= LARGE_TARGET },
        ],
    };
}
