import { describe, expect, it } from "vitest";
import { isDns1123Label, isIanaServiceName } from "../../mesh/names.ts";

describe.each([
    ["gray-demo", true], ["a", true], ["1234", true], ["a".repeat(63), true],
    ["a".repeat(64), false], ["Gray-Demo", false], ["-a", false], ["a-", false], ["a_b", false], ["a.b", false], ["", false],
])("isDns1123Label(%j)", (value, valid) => {
    it(`is ${valid}`, () => expect(isDns1123Label(value)).toBe(valid));
});

describe.each([
    ["http-5000", true], ["http", true], ["h2", true], ["a-b-c", true], ["abcdefghijklmno", true],
    ["abcdefghijklmnop", false], ["http-", false], ["-http", false], ["http--5000", false], ["5000", false],
    ["HTTP-5000", false], ["http_5000", false], ["", false],
])("isIanaServiceName(%j)", (value, valid) => {
    it(`is ${valid}`, () => expect(isIanaServiceName(value)).toBe(valid));
});
