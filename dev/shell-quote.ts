// The `export NAME=value` lines that scripts/clusters and scripts/istiod print are meant for `eval`:
// single quotes keep a temp path with spaces or quotes in it one word.
export function shellQuote(value: string): string {
    return `'${value.replaceAll("'", "'\\''")}'`;
}
