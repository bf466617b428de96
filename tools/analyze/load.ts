// Reads plain manifests for offline analysis: files or directories of multi-document YAML, each
// object assigned to a cluster (clusters.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import { objectFromManifest, type ClusterRef, type K8sObject } from "../../policy/lib/model.ts";
import { asArray, asObject, asString } from "../../policy/lib/values.ts";
import { clusterAssigner, type ClusterAssignment } from "./clusters.ts";

/** Bad input: the message is one line a user can act on; the CLI exits 2. */
export class InputError extends Error {
    override name = "InputError";
}

const YAML_EXTENSIONS = new Set([".yaml", ".yml"]);

/** The YAML files named by `paths`: files as given, directories searched recursively, in sorted order. */
export function yamlFiles(paths: readonly string[]): string[] {
    const files: string[] = [];
    const visit = (path: string, explicit: boolean) => {
        let stat;
        try {
            stat = statSync(path);
        } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            throw new InputError(`cannot read ${path}: ${code === "ENOENT" ? "no such file or directory" : String(err)}`);
        }
        if (stat.isDirectory()) {
            let entries: string[];
            try {
                entries = readdirSync(path).sort();
            } catch (err) {
                throw new InputError(`cannot list ${path}: ${String(err)}`);
            }
            for (const entry of entries) {
                visit(join(path, entry), false);
            }
        } else if (explicit || YAML_EXTENSIONS.has(extname(path))) {
            files.push(path);
        }
    };
    for (const path of paths) {
        const before = files.length;
        visit(path, true);
        if (files.length === before) {
            throw new InputError(`${path} holds no .yaml or .yml files`);
        }
    }
    return files;
}

/** Parses one file's documents into objects; `kind: List` is unpacked, empty documents skipped. */
export function objectsFromYaml(text: string, file: string, cluster: ClusterRef): K8sObject[] {
    const objects: K8sObject[] = [];
    // The parser records each line start once; a lookup is then a binary search. Counting newlines from
    // the top of the file for every document made a 20 000-document file quadratic (75 s).
    const lines = new LineCounter();
    parseAllDocuments(text, { lineCounter: lines }).forEach((doc, i) => {
        const start = doc.contents?.range[0];
        const where = `${file} (document ${i + 1}${start === undefined ? "" : `, line ${lines.linePos(start).line}`})`;
        if (doc.errors.length > 0) {
            const first = doc.errors[0];
            const line = first?.linePos?.[0]?.line;
            throw new InputError(`${file}: invalid YAML${line === undefined ? "" : ` at line ${line}`}: ` +
                `${(first?.message ?? "parse error").split("\n")[0]}`);
        }
        const manifest: unknown = doc.toJS({ maxAliasCount: 1000 });
        if (manifest === null || manifest === undefined) {
            return;
        }
        const items = asString(asObject(manifest)?.["kind"])?.endsWith("List") === true
            ? asArray(asObject(manifest)?.["items"]) ?? []
            : [manifest];
        items.forEach((item, j) => {
            const source = items.length === 1 && item === manifest ? where : `${where} item ${j + 1}`;
            const object = objectFromManifest(item, cluster, source);
            if (typeof object === "string") {
                throw new InputError(`${source} ${object}`);
            }
            objects.push(object);
        });
    });
    return objects;
}

export function loadObjects(paths: readonly string[], assignment: ClusterAssignment): K8sObject[] {
    const objects: K8sObject[] = [];
    const clusterOf = clusterAssigner(assignment);
    for (const file of yamlFiles(paths)) {
        let text: string;
        try {
            text = readFileSync(file, "utf8");
        } catch (err) {
            throw new InputError(`cannot read ${file}: ${String(err)}`);
        }
        objects.push(...objectsFromYaml(text, file, clusterOf(file)));
    }
    return objects;
}
