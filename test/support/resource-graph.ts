// The dev stack's resource graph as a reviewer reads it: every resource's URN, parent and provider,
// one block per resource, sorted. The unit tests pin it (registered under mocks) and the engine tests
// check that the real engine's state has exactly this graph.
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import type { PulumiWorkspace } from "../../dev/engine/workspace.ts";

const STACK_TYPE = "pulumi:pulumi:Stack";

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

/** What a real stack's state holds: URN, parent (but the stack) and provider (without its id) of every resource. */
export function stateGraph(workspace: PulumiWorkspace): string {
    const resources = workspace.resources();
    const stack = resources.find((r) => r.type === STACK_TYPE)?.urn;
    return resourceGraph(resources.filter((r) => r.type !== STACK_TYPE).map((r) => ({
        urn: r.urn,
        parent: r.parent === stack ? undefined : r.parent,
        provider: r.provider?.split("::").slice(0, -1).join("::"),
    })));
}
