// The Istio CRDs the local clusters serve: the CRD manifest of the Istio module the project builds
// istiod and istioctl from (its base chart's crd-all.gen.yaml), read from Go's module cache.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "./kube-api.ts";

// The one pin of Istio's version, which scripts/istio-tools builds istioctl and istiod from.
const GO_MOD = fileURLToPath(new URL("../../scripts/istio/go.mod", import.meta.url));
const CRD_FILE = "manifests/charts/base/files/crd-all.gen.yaml";

/**
 * The istio.io/istio version a go.mod requires (a pseudo-version of Istio's master; the proxy serves
 * it), from a require block's line or a one-line require.
 */
export function istioModuleVersion(goMod: string): string {
    const version = /^[ \t]*(?:require[ \t]+)?istio\.io\/istio[ \t]+(\S+)/m.exec(goMod)?.[1];
    if (version === undefined) {
        throw new Error("the go.mod requires no istio.io/istio");
    }
    return version;
}

/** The module's folder in Go's module cache (downloaded when missing). */
export function istioModuleDir(): string {
    const version = istioModuleVersion(readFileSync(GO_MOD, "utf8"));
    // From outside any module: `go mod download module@version` needs no go.mod around it.
    const out = execFileSync("go", ["mod", "download", "-json", `istio.io/istio@${version}`], {
        cwd: tmpdir(),
        encoding: "utf8",
        env: { ...process.env, GOFLAGS: "-mod=mod" },
        maxBuffer: 16 * 1024 * 1024,
    });
    const dir = (JSON.parse(out) as { Dir?: string }).Dir;
    if (dir === undefined) {
        throw new Error(`go mod download istio.io/istio@${version} gave no folder: ${out}`);
    }
    return dir;
}

export function istioCrds(): KubeObject[] {
    const text = readFileSync(path.join(istioModuleDir(), CRD_FILE), "utf8");
    return parseAllDocuments(text)
        .map((doc) => doc.toJS() as KubeObject | null)
        .filter((object): object is KubeObject => object?.kind === "CustomResourceDefinition");
}
