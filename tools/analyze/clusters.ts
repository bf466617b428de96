// Which cluster each file's objects are applied to. Only a folder `npm run render` wrote is known to
// hold one file per cluster (render marks every file it writes); any other set of manifests, such as
// Istio's samples in one folder, is one cluster unless the user says otherwise. Splitting those per
// file would judge a VirtualService and its DestinationRule as if they lived in different clusters.
import { basename, dirname, extname } from "node:path";
import type { ClusterRef } from "../../policy/lib/model.ts";
import { isRenderOutputDirectory } from "../render/marker.ts";

export type ClusterAssignment =
    /** The default: a file in a folder render wrote is its own cluster (its base name); the rest is one cluster. */
    | { fromRenderMarker: true }
    /** `--cluster-from-filename`: every file `<cluster>.yaml` is that cluster's. */
    | { fromFilename: true }
    /** `--cluster <name>`: every object in the one cluster `name`. */
    | { cluster: string };

/** What messages call the one cluster of manifests that name none. */
export const ONE_CLUSTER = "(one cluster)";

/** A function from file to cluster; remembers which folders render wrote, so each is read once. */
export function clusterAssigner(assignment: ClusterAssignment): (file: string) => ClusterRef {
    const rendered = new Map<string, boolean>();
    const isRendered = (dir: string) => {
        let known = rendered.get(dir);
        if (known === undefined) {
            known = isRenderOutputDirectory(dir);
            rendered.set(dir, known);
        }
        return known;
    };
    return (file) => {
        const name = "cluster" in assignment ? assignment.cluster
            : "fromFilename" in assignment || isRendered(dirname(file)) ? basename(file, extname(file))
            : ONE_CLUSTER;
        return { key: name, name };
    };
}
