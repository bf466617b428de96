import { describe, expect, it } from "vitest";
import { quantityValue } from "../../mesh/quantity.ts";

describe.each<[string, number | undefined]>([
    ["1", 1], ["0.5", 0.5], ["100m", 0.1], ["1500m", 1.5], ["2k", 2000], ["1M", 1e6], ["1G", 1e9],
    ["128Mi", 128 * 2 ** 20], ["1Gi", 2 ** 30], ["1Ki", 1024], ["1Ti", 2 ** 40],
    ["", undefined], ["1.", undefined], ["-1", undefined], ["1mi", undefined], ["1 Gi", undefined], ["one", undefined],
])("quantityValue(%j)", (quantity, value) => {
    it(`is ${String(value)}`, () => expect(quantityValue(quantity)).toBe(value));
});

it("orders a limit below its request the way Kubernetes compares them", () => {
    expect((quantityValue("256Mi") ?? 0) < (quantityValue("300M") ?? 0)).toBe(true);
    expect((quantityValue("900m") ?? 0) < (quantityValue("1") ?? 0)).toBe(true);
});
