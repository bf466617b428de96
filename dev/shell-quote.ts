// The `export NAME=value` lines that scripts/clusters and scripts/istiod print are meant for `eval`:
// single quotes keep a temp path with spaces or quotes in it one word.
export function shellQuote(value: string): string {
    return `'${value.replaceAll("'", "'\\''")}'`;
}

/** A per-cluster variable beside a tool's main one: `ISTIOD_XDS` and mdemo-cluster2 give ISTIOD_XDS_MDEMO_CLUSTER2. */
export function clusterVariable(name: string, cluster: string): string {
    return `${name}_${cluster.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}
