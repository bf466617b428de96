// The Istio CRDs the local clusters serve: the CRD manifest of the Istio module the project builds
// istiod and istioctl from (its base chart's crd-all.gen.yaml), read from Go's module cache.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "./kube-api.ts";

/** The istio.io/istio module version (a pseudo-version of Istio's master; the proxy serves it). */
export const ISTIO_MODULE_VERSION = "v0.0.0-20260827124520-eed52ebb66ad";
const CRD_FILE = "manifests/charts/base/files/crd-all.gen.yaml";

/** The module's folder in Go's module cache (downloaded when missing). */
export function istioModuleDir(): string {
    // From outside any module: `go mod download module@version` needs no go.mod around it.
    const out = execFileSync("go", ["mod", "download", "-json", `istio.io/istio@${ISTIO_MODULE_VERSION}`], {
        cwd: tmpdir(),
        encoding: "utf8",
        env: { ...process.env, GOFLAGS: "-mod=mod" },
        maxBuffer: 16 * 1024 * 1024,
    });
    const dir = (JSON.parse(out) as { Dir?: string }).Dir;
    if (dir === undefined) {
        throw new Error(`go mod download istio.io/istio@${ISTIO_MODULE_VERSION} gave no folder: ${out}`);
    }
    return dir;
}

export function istioCrds(): KubeObject[] {
    const text = readFileSync(path.join(istioModuleDir(), CRD_FILE), "utf8");
    return parseAllDocuments(text)
        .map((doc) => doc.toJS() as KubeObject | null)
        .filter((object): object is KubeObject => object?.kind === "CustomResourceDefinition");
}
