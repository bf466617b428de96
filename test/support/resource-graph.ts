// The dev stack's resource graph as a reviewer reads it: every resource's URN, parent and provider,
// one block per resource, sorted. The unit tests pin it (registered under mocks) and the engine tests
// check that the real engine's state has exactly this graph.
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";

/** The pinned graph of the dev stack (stack name "dev"). */
export const DEV_STACK_URNS = fileURLToPath(new URL("../components/__snapshots__/dev-stack-urns.yaml", import.meta.url));

export interface GraphNode {
    urn: string;
    /** The parent's URN; the program's root resources' parent (the stack) is left out. */
    parent?: string;
    /** The provider's URN (without the `::<id>` of a provider reference). */
    provider?: string;
}

export function resourceGraph(nodes: readonly GraphNode[]): string {
    const sorted = [...nodes].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    return stringify(sorted.map((n) => ({
        urn: n.urn,
        ...(n.parent === undefined ? {} : { parent: n.parent }),
        ...(n.provider === undefined ? {} : { provider: n.provider }),
    })), { lineWidth: 0 });
}
