// Runs the release component under Pulumi's mocks and records what the engine would receive, so tests
// assert on values (not inside .apply callbacks that might never run).
import type * as pulumi from "@pulumi/pulumi";
import { GrayscaleRelease } from "../../components/grayscale-release.ts";
import { parseReleaseConfig } from "../../config/index.ts";
import { releaseArgsFromConfig } from "../../program.ts";
import { allRegistered, recordRegistrations, type Registration } from "./recording-monitor.ts";

export interface RegisteredResource extends Registration {
    /** The logical name of the provider the resource was created through, if any. */
    providerName?: string;
}

export interface RegisteredRelease {
    release: GrayscaleRelease;
    /** Every resource registered (components, providers, objects), in the order the engine received them. */
    resources: RegisteredResource[];
}

/**
 * Registers a GrayscaleRelease for raw stack config and waits until every resource is registered.
 * `secretKeys` names the keys the engine would mark secret (a kubeconfig must be one).
 */
export async function registerRelease(raw: Record<string, unknown>, secretKeys: ReadonlySet<string> = new Set()): Promise<RegisteredRelease> {
    const registrations = await recordRegistrations();
    const config = parseReleaseConfig(raw, secretKeys);
    const release = new GrayscaleRelease(config.app.name, releaseArgsFromConfig(config));
    await allRegistered();
    const resources = registrations.map((r) => ({ ...r, providerName: r.provider?.split("::").at(-1) }));
    return { release, resources };
}

/** The value of an Output, as a promise a test can await (and fail on). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => {
        resolve(value);
        return value;
    }));
}
