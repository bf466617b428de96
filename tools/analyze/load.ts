// Reads plain manifests for offline analysis: files or directories of multi-document YAML, each
// object assigned to a cluster (clusters.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { objectFromManifest, type ClusterRef, type K8sObject } from "../../policy/lib/model.ts";
import { asArray, asObject, asString } from "../../policy/lib/values.ts";
import { clusterAssigner, type ClusterAssignment } from "./clusters.ts";
import { yamlDocuments } from "./documents.ts";
import { InputError } from "./input-error.ts";

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
    for (const doc of yamlDocuments(text, file)) {
        const manifest = doc.value;
        if (manifest === null || manifest === undefined) {
            continue;
        }
        const where = `${file} (document ${doc.number}${doc.line === undefined ? "" : `, line ${doc.line}`})`;
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
    }
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
