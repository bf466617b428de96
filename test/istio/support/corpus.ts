// The corpus the Istio suite holds the policy pack against: every stack of objects the unit tests
// ask the pack to judge, every release they plan (recorded by corpus-recorder.ts), the render of
// the dev stack by `npm run render`, and the YAML fixtures kept under test/.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { makeObject, parseApiVersion, type K8sObject } from "../../../policy/lib/model.ts";
import { UNKNOWN } from "../../../policy/lib/values.ts";
import { PROJECT_DIR } from "../../support/dev-stack.ts";

/** What the recorder writes for the pack's UNKNOWN (a symbol, which JSON would drop). */
export const UNKNOWN_MARK = "\u0000unknown during preview";

export type Origin = "policy fixture" | "render" | "yaml fixture";

/** One stack: objects by the cluster they are applied to, and where the corpus found it. */
export interface CorpusEntry {
    origin: Origin;
    /** The test file (or YAML folder) it comes from. */
    test: string;
    clusters: Record<string, unknown[]>;
}

/** The recorded entries, each distinct stack once (many tests judge the same fixture). */
export function readRecordedCorpus(dir: string): CorpusEntry[] {
    const lines = readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()
        .flatMap((f) => readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l !== ""));
    const seen = new Map<string, CorpusEntry>();
    for (const line of lines) {
        const entry = JSON.parse(line) as CorpusEntry;
        const key = `${entry.origin}\n${JSON.stringify(entry.clusters)}`;
        if (!seen.has(key)) {
            seen.set(key, { ...entry, test: relative(PROJECT_DIR, entry.test) });
        }
    }
    return [...seen.values()];
}

/** Plain YAML from `<cluster>.yaml` files (a render's layout): one cluster per file. */
export function renderedDirectory(dir: string, origin: Origin, test: string): CorpusEntry {
    const clusters: Record<string, unknown[]> = {};
    for (const file of readdirSync(dir).filter((f) => extname(f) === ".yaml").sort()) {
        clusters[basename(file, ".yaml")] = documents(join(dir, file));
    }
    return { origin, test, clusters };
}

/**
 * Every folder of YAML fixtures under test/ (snapshots excepted: they are renders, covered above) as
 * one stack applied to one cluster, the way a user would analyze a folder of manifests.
 */
export function yamlFixtures(root = join(PROJECT_DIR, "test")): CorpusEntry[] {
    const byFolder = new Map<string, unknown[]>();
    const visit = (path: string) => {
        for (const entry of readdirSync(path).sort()) {
            const child = join(path, entry);
            if (statSync(child).isDirectory()) {
                if (entry !== "__snapshots__" && entry !== "node_modules") {
                    visit(child);
                }
            } else if (extname(entry) === ".yaml" || extname(entry) === ".yml") {
                const folder = relative(PROJECT_DIR, dirname(child));
                byFolder.set(folder, [...(byFolder.get(folder) ?? []), ...documents(child)]);
            }
        }
    };
    visit(root);
    return [...byFolder].map(([folder, objects]) => ({ origin: "yaml fixture", test: folder, clusters: { [basename(folder)]: objects } }));
}

function documents(file: string): unknown[] {
    return parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS() as unknown).filter((o) => o !== null && o !== undefined);
}

/** A Kubernetes object body, as the pack and istioctl read it. */
export type Body = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [field: string]: unknown };

export function isBody(value: unknown): value is Body {
    const v = value as Partial<Body> | null;
    return typeof v === "object" && v !== null && typeof v.apiVersion === "string" && typeof v.kind === "string"
        && typeof v.metadata === "object" && v.metadata !== null && typeof v.metadata.name === "string";
}

function hasKind(value: unknown): value is Pick<Body, "apiVersion" | "kind"> {
    const v = value as Partial<Body> | null;
    return typeof v === "object" && v !== null && typeof v.apiVersion === "string" && typeof v.kind === "string";
}

/** An object that still holds a value unknown during preview: only `pulumi up` sees what it will be. */
export function hasUnknown(value: unknown): boolean {
    return JSON.stringify(value).includes(JSON.stringify(UNKNOWN_MARK).slice(1, -1));
}

/** Puts the pack's UNKNOWN back where the recorder wrote its mark. */
function revive(value: unknown): unknown {
    if (value === UNKNOWN_MARK) {
        return UNKNOWN;
    }
    if (Array.isArray(value)) {
        return value.map(revive);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
    }
    return value;
}

/** The entry's objects as the pack's rules read them (values unknown during preview included). */
export function toObjects(entry: CorpusEntry): K8sObject[] {
    return Object.entries(entry.clusters).flatMap(([cluster, bodies]) => bodies.filter(hasKind).map((body, i) => makeObject({
        cluster: { key: cluster, name: cluster },
        ...parseApiVersion(body.apiVersion),
        kind: body.kind,
        body: revive(body) as Record<string, unknown>,
        source: `${entry.test}#${cluster}#${i}`,
    })));
}
