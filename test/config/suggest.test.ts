import { describe, expect, it } from "vitest";
import { closestMatch } from "../../config/suggest.ts";

const KEYS = ["clusters", "versions", "weights", "namespace", "service", "gateway", "replicas", "retired"];

describe.each<[string, readonly string[], string | undefined]>([
    ["weight", KEYS, "weights"],
    ["wieghts", KEYS, "weights"],
    ["Namespace", KEYS, "namespace"],
    ["replica", KEYS, "replicas"],
    ["cluster", KEYS, "clusters"],
    ["helloworld-greyscale", ["helloworld-grayscale"], "helloworld-grayscale"],
    ["helloworld-grayscal", ["helloworld-grayscale"], "helloworld-grayscale"],
    ["helloworld", ["helloworld-grayscale"], undefined],
    ["kubernetes", ["helloworld-grayscale"], undefined],
    ["pulumi", ["helloworld-grayscale"], undefined],
    ["image", KEYS, undefined],
    ["x", KEYS, undefined],
])("closestMatch(%j)", (word, candidates, meant) => {
    it(`is ${String(meant)}`, () => expect(closestMatch(word, candidates)).toBe(meant));
});

it("suggests nothing when two candidates are equally near", () => {
    expect(closestMatch("ab", ["ac", "ad"])).toBeUndefined();
});
