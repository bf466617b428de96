import { describe, expect, it } from "vitest";
import { SplitDecision } from "../../tools/verify/decision.ts";
import { designErrorTests, designSplit } from "../../tools/verify/design.ts";
import { startProgress } from "../../tools/verify/progress.ts";

const decision = () => new SplitDecision(
    designSplit({ expected: [{ version: "v1", share: 1 }], tolerance: 0.05, confidence: 0.95, horizon: 100 }),
    designErrorTests({ maxErrorRate: 0.05, confidence: 0.95, horizon: 100 }),
);

describe("the progress line", () => {
    it("redraws on a terminal and clears itself at the end", async () => {
        let written = "";
        const d = decision();
        d.observe({ kind: "version", version: "v1" });
        const stop = startProgress({ write: (t: string) => (written += t), isTTY: true }, d, 100);
        await new Promise((resolve) => setTimeout(resolve, 250));
        stop();
        expect(written).toContain("1/100  v1 100.0%  errors 0");
        expect(written.endsWith("\r\x1b[K")).toBe(true);
    });

    it("prints nothing when the stream is not a terminal", async () => {
        let written = "";
        const stop = startProgress({ write: (t: string) => (written += t), isTTY: false }, decision(), 100);
        await new Promise((resolve) => setTimeout(resolve, 150));
        stop();
        expect(written).toBe("");
    });
});
