import { describe, expect, it } from "vitest";
import { isPinnedImage, parseImageReference } from "../../mesh/image-reference.ts";

const SHA256 = "0123456789abcdef".repeat(4);

describe.each([
    ["app", { name: "app" }],
    ["app:1.0", { name: "app", tag: "1.0" }],
    ["docker.m.daocloud.io/istio/examples-helloworld-v1:1.0", { name: "docker.m.daocloud.io/istio/examples-helloworld-v1", tag: "1.0" }],
    ["localhost:5000/team/app", { name: "localhost:5000/team/app" }],
    ["[::1]:5000/app:v2", { name: "[::1]:5000/app", tag: "v2" }],
    ["my_org/app__x.y-z:V1_a", { name: "my_org/app__x.y-z", tag: "V1_a" }],
    [`app@sha256:${SHA256}`, { name: "app", digest: `sha256:${SHA256}` }],
    [`app:1.0@sha256:${SHA256}`, { name: "app", tag: "1.0", digest: `sha256:${SHA256}` }],
    ["app:", undefined],
    ["App:1.0", undefined],
    ["app@sha256:latest", undefined],
    ["app@sha256:0123abcd", undefined],
    [`app@sha256:${SHA256.toUpperCase()}`, undefined],
    [`app@md5:${SHA256}`, undefined],
    ["app:-1", undefined],
    [`app:${"a".repeat(129)}`, undefined],
    ["registry/app_:1", undefined],
    ["registry//app:1", undefined],
    ["app 1.0", undefined],
    ["", undefined],
    [`${"a".repeat(256)}:1`, undefined],
])("parseImageReference(%j)", (reference, parsed) => {
    it(`is ${JSON.stringify(parsed)}`, () => expect(parseImageReference(reference)).toEqual(parsed));
});

describe.each([
    ["docker.m.daocloud.io/istio/examples-helloworld-v1:1.0", true],
    ["localhost:5000/helloworld:1.0", true],
    [`app@sha256:${SHA256}`, true],
    [`app:latest@sha256:${SHA256}`, true],
    ["app:Latest", true],
    ["app:latest", false],
    ["app", false],
    ["registry:5000/app", false],
    ["app:", false],
    ["app@sha256:latest", false],
    ["registry:5000/app@sha256:0123abcd", false],
])("isPinnedImage(%j)", (reference, pinned) => {
    it(`is ${pinned}`, () => expect(isPinnedImage(reference)).toBe(pinned));
});

it("rejects a pathological near-reference quickly", () => {
    const started = performance.now();
    expect(parseImageReference(`${"a-".repeat(150)}!`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(200);
});
