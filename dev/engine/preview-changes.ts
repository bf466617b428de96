// What `pulumi preview --json` says an update would change, in an order a test can state: the engine
// steps through independent resources (each cluster's objects) concurrently, so the order the CLI
// prints its steps in is not part of any claim. Shared by the engine and cluster suites.

/** One step of the preview that changes something, with its URN's type and name split out. */
export interface PreviewChange {
    op: string;
    urn: string;
    /** The resource's own type token, without its parents' (`kubernetes:apps/v1:Deployment`). */
    type: string;
    /** The resource's name, the URN's last part. */
    name: string;
    /** Present with `--diff`: the changed property paths. */
    detailedDiff?: Record<string, { kind: string }>;
}

/** The steps of `pulumi preview --json` output whose op is not "same", sorted by resource name. */
export function previewChanges(previewJson: string): PreviewChange[] {
    const { steps } = JSON.parse(previewJson) as { steps: Omit<PreviewChange, "type" | "name">[] };
    return steps
        .filter((step) => step.op !== "same")
        .map((step) => {
            // urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>
            const parts = step.urn.split("::");
            return { ...step, type: parts[2]?.split("$").at(-1) ?? "", name: parts.at(-1) ?? "" };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
}
