// The objects written by the Kubernetes provider in render mode (the engine's YAML) and by
// `npm run render`, per cluster, to compare object by object.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";

/** Per cluster, "apiVersion Kind namespace/name" to object. */
export type ObjectsByCluster = Map<string, Map<string, Record<string, any>>>;

function keyOf(object: Record<string, any>): string {
    return `${object.apiVersion} ${object.kind} ${object.metadata?.namespace ?? ""}/${object.metadata?.name}`;
}

function collect(objects: Record<string, any>[]): Map<string, Record<string, any>> {
    const byKey = new Map<string, Record<string, any>>();
    for (const object of objects) {
        const key = keyOf(object);
        if (byKey.has(key)) {
            throw new Error(`${key} is written twice`);
        }
        byKey.set(key, object);
    }
    return byKey;
}

function yamlObjects(file: string): Record<string, any>[] {
    return parseAllDocuments(readFileSync(file, "utf8"))
        .map((doc) => doc.toJS() as Record<string, any> | null)
        .filter((object): object is Record<string, any> => object !== null);
}

/** What the provider wrote in render mode: `<root>/<cluster>/{0-crd,1-manifest}/*.yaml`. */
export function engineRenderedObjects(root: string): ObjectsByCluster {
    const result: ObjectsByCluster = new Map();
    for (const cluster of readdirSync(root).sort()) {
        const files = ["0-crd", "1-manifest"]
            .map((part) => path.join(root, cluster, part))
            .filter((dir) => existsSync(dir))
            .flatMap((dir) => readdirSync(dir).sort().map((file) => path.join(dir, file)));
        result.set(cluster, collect(files.flatMap(yamlObjects)));
    }
    return result;
}

/** What `npm run render` wrote: `<out>/<cluster>.yaml`. */
export function toolRenderedObjects(out: string): ObjectsByCluster {
    const result: ObjectsByCluster = new Map();
    for (const file of readdirSync(out).filter((f) => f.endsWith(".yaml")).sort()) {
        result.set(file.replace(/\.yaml$/, ""), collect(yamlObjects(path.join(out, file))));
    }
    return result;
}
