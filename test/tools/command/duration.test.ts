// The one duration grammar, as every duration flag and the stack's rollout durations read it.
import { describe, expect, it } from "vitest";
import { durationFlag, formatDuration, parseDurationMs } from "../../../tools/command/duration.ts";
import { UsageError } from "../../../tools/command/errors.ts";

describe("parseDurationMs", () => {
    it.each<[string, number | undefined]>([
        ["500ms", 500], ["30s", 30_000], ["1.5m", 90_000], ["1h", 3_600_000], ["0s", 0], [" 2s ", 2000],
        // A bare number is seconds, for every flag and for the stack file alike.
        ["10", 10_000], ["0.5", 500], ["0", 0],
        ["-5s", undefined], ["-1", undefined], ["5 s", undefined], ["1d", undefined], ["s", undefined], ["", undefined], ["1e3", undefined], ["1.s", undefined],
    ])("%j -> %j", (text, ms) => {
        expect(parseDurationMs(text)).toBe(ms);
    });
});

describe("formatDuration", () => {
    it.each([[600_000, "10m"], [3_600_000, "1h"], [90_000, "1.5m"], [1500, "1.5s"], [30_000, "30s"], [500, "500ms"], [0, "0ms"], [5_400_000, "1.5h"]])("%i -> %s", (ms, text) => {
        expect(formatDuration(ms)).toBe(text);
    });

    it("writes what parseDurationMs reads back", () => {
        for (const ms of [1, 250, 1000, 1500, 59_000, 60_000, 90_000, 3_600_000]) {
            expect(parseDurationMs(formatDuration(ms))).toBe(ms);
        }
    });
});

describe("durationFlag", () => {
    it("reads a valid value", () => {
        expect(durationFlag("--pause", "5m")).toBe(300_000);
        expect(durationFlag("--timeout", "1h", { minMs: 1, maxMs: 3_600_000 })).toBe(3_600_000);
    });

    it.each<[string, Parameters<typeof durationFlag>[2], string]>([
        ["-5s", {}, "--x '-5s' is invalid: use a duration such as 30s, 5m or 1h"],
        ["soon", {}, "--x 'soon' is invalid: use a duration such as 30s, 5m or 1h"],
        ["2h", { minMs: 1, maxMs: 3_600_000, examples: "10s or 500ms" }, "--x '2h' is invalid: use a duration from 1ms to 1h, such as 10s or 500ms"],
        ["0", { minMs: 1 }, "--x '0' is invalid: use a duration of at least 1ms, such as 30s, 5m or 1h"],
    ])("refuses %j (%j) with one line", (text, rule, message) => {
        expect(() => durationFlag("--x", text, rule)).toThrow(new UsageError(message));
    });
});
