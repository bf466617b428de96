import { describe, expect, it } from "vitest";
import { benchVerdict, type JudgedSection } from "../../harness/bench-verdict.ts";

const section = (title: string, ...oks: Array<boolean | undefined>): JudgedSection =>
    ({ title, lines: oks.map((ok, i) => ({ name: `figure ${i + 1}`, ...(ok === undefined ? {} : { ok }) })) });

describe("npm run bench's verdict", () => {
    it("exits 0 when every target is met; figures without a target do not count", () => {
        expect(benchVerdict([section("render", true, undefined), section("verify", true)]))
            .toEqual({ text: "all targets met", exitCode: 0 });
    });

    it("exits 1 and names every missed target", () => {
        expect(benchVerdict([section("render", true, false), section("analyze", undefined), section("verify", false)]))
            .toEqual({ text: "targets missed:\n  render: figure 2\n  verify: figure 1", exitCode: 1 });
    });
});
