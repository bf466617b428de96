import { describe, expect, it } from "vitest";
import { InOrder } from "../../tools/verify/in-order.ts";

describe("handing outcomes on in sent order", () => {
    it("holds back what arrives early until the gap before it is filled", () => {
        const seen: string[] = [];
        const ordered = new InOrder<string>((v) => (seen.push(v), false));
        ordered.put(2, "c");
        ordered.put(1, "b");
        expect(seen).toEqual([]);
        ordered.put(0, "a");
        expect(seen).toEqual(["a", "b", "c"]);
        expect(ordered.delivered).toBe(3);
    });

    it("counts nothing after the consumer stops, and discards what was waiting", () => {
        const seen: string[] = [];
        const ordered = new InOrder<string>((v) => (seen.push(v), v === "b"));
        ordered.put(3, "d");
        ordered.put(1, "b");
        ordered.put(0, "a");
        ordered.put(2, "c");
        expect(seen).toEqual(["a", "b"]);
        expect(ordered.stopped).toBe(true);
        expect(ordered.discarded).toBe(2);
    });
});
