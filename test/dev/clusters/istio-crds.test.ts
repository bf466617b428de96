// Istio's version is pinned once, in scripts/istio/go.mod: the local clusters' CRDs come from the
// module version read there, the one scripts/istio-tools builds istioctl and istiod from.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { istioModuleVersion } from "../../../dev/clusters/istio-crds.ts";
import { PROJECT_DIR } from "../../support/dev-stack.ts";

describe("istioModuleVersion", () => {
    it.each([
        ["a require block", "module m\n\nrequire (\n\tgoogle.golang.org/grpc v1.82.0\n\tistio.io/istio v0.0.0-20260827124520-eed52ebb66ad // indirect\n)\n"],
        ["a one-line require", "module m\n\nrequire istio.io/istio v0.0.0-20260827124520-eed52ebb66ad\n"],
    ])("reads %s", (_form, goMod) => {
        expect(istioModuleVersion(goMod)).toBe("v0.0.0-20260827124520-eed52ebb66ad");
    });

    it("passes over the comments and the tool lines that name the module", () => {
        const goMod = "// pilot-discovery from the istio.io/istio module\nmodule m\n\ntool istio.io/istio/istioctl/cmd/istioctl\n";
        expect(() => istioModuleVersion(goMod)).toThrow("the go.mod requires no istio.io/istio");
    });

    it("reads a pseudo-version from scripts/istio/go.mod", () => {
        const goMod = readFileSync(path.join(PROJECT_DIR, "scripts/istio/go.mod"), "utf8");
        expect(istioModuleVersion(goMod)).toMatch(/^v\d+\.\d+\.\d+-\d{14}-[0-9a-f]{12}$/);
    });
});
