// Runs the release component under Pulumi's mocks and records what it registers, so tests assert on
// values (not inside .apply callbacks that might never run).
import * as pulumi from "@pulumi/pulumi";
import { GrayscaleRelease } from "../../components/grayscale-release.ts";
import { parseReleaseConfig } from "../../config/index.ts";

export interface RegisteredResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** The logical name of the provider the resource was created through, if any. */
    providerName?: string;
    /** Whether the resource is protected against deletion. */
    protect: boolean;
}

export interface RegisteredRelease {
    release: GrayscaleRelease;
    resources: RegisteredResource[];
}

/**
 * Registers a GrayscaleRelease for raw stack config and waits until every resource is registered.
 * `secretKeys` names the keys the engine would mark secret (a kubeconfig must be one).
 */
export async function registerRelease(raw: Record<string, unknown>, secretKeys: ReadonlySet<string> = new Set()): Promise<RegisteredRelease> {
    const recorded: { type: string; name: string; inputs: Record<string, unknown>; provider?: string }[] = [];
    await pulumi.runtime.setMocks({
        newResource: (args) => {
            recorded.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
    }, "helloworld-grayscale", "test", true);

    const release = new GrayscaleRelease("helloworld", { config: parseReleaseConfig(raw, secretKeys) });
    const children = release.clusters.flatMap((c) => c.resources);
    await Promise.all(children.map((r) => promiseOf(r.urn)));

    const protectedUrns = new Set(await Promise.all(
        children.filter((r) => isProtected(r)).map((r) => promiseOf(r.urn)),
    ));
    const urnsByName = new Map(await Promise.all(children.map(async (r) => [await promiseOf(r.urn), r] as const)));
    const resources = recorded.map((r) => {
        const urn = [...urnsByName.keys()].find((u) => u.endsWith(`::${r.name}`) && u.includes(r.type));
        return {
            type: r.type,
            name: r.name,
            inputs: r.inputs,
            providerName: r.provider?.split("::")[3],
            protect: urn !== undefined && protectedUrns.has(urn),
        };
    });
    return { release, resources };
}

/** The value of an Output, as a promise a test can await (and fail on). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => {
        resolve(value);
        return value;
    }));
}

function isProtected(resource: pulumi.Resource): boolean {
    // Resource options are not part of the mock's arguments; the SDK keeps `protect` on the resource.
    return (resource as unknown as { __protect?: boolean }).__protect === true;
}

/** JSON with object keys sorted: the engine's serialisation does not keep key order. */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "object" && v !== null && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v));
}
