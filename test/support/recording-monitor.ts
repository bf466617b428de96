// Pulumi's mock monitor, with a record of every RegisterResource request as the engine would receive
// it: type, name, parent, provider, explicit dependencies, aliases, protect and inputs, and the URN the
// engine would give the resource. Tests assert on these values, not inside .apply callbacks.
import * as pulumi from "@pulumi/pulumi";

export const PROJECT = "helloworld-grayscale";
const STACK_TYPE = "pulumi:pulumi:Stack";

export interface AliasRecord {
    name?: string;
    type?: string;
}

export interface Registration {
    /** `urn:pulumi:<stack>::<project>::<ancestors' types and its own, $-joined>::<name>`, as the engine forms it. */
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** The parent's URN; undefined for a resource at the top of the program. */
    parent?: string;
    /** The URN of the provider the resource is managed through. */
    provider?: string;
    /** URNs of the resources it was registered to depend on. */
    dependsOn: string[];
    aliases: AliasRecord[];
    protect: boolean;
    inputs: Record<string, unknown>;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getProvider(): string;
    getDependenciesList(): string[];
    getProtect(): boolean | undefined;
    getObject(): Parameters<typeof pulumi.runtime.deserializeProperties>[0];
    getAliasesList(): { getSpec(): { getName(): string; getType(): string } | undefined }[];
}

type Callback = (err: unknown, response?: { getUrn(): string }) => void;

interface MockMonitor {
    registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
}

// Internal to the SDK (it is what a program's end waits on), hence the cast: exported at run time, not in its typings.
const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };

/**
 * Installs Pulumi's mocks for a fresh program run and returns the list every registration is appended
 * to. Pulumi's runtime is process-global: one run at a time per test file.
 */
export async function recordRegistrations(stack = "test"): Promise<Registration[]> {
    await pulumi.runtime.setMocks({
        newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
        call: (args) => args.inputs,
    }, PROJECT, stack, true);
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitor;
    const registrations: Registration[] = [];
    // The mock monitor's URNs keep only the parent's type; the engine's keep every ancestor's.
    const byMockUrn = new Map<string, { registration: Registration; qualifiedType: string }>();
    const original = monitor.registerResource.bind(monitor);
    const engineUrn = (mockUrn: string) => byMockUrn.get(mockUrn)?.registration.urn ?? mockUrn;

    monitor.registerResource = (req, callback) => original(req, (err, response) => {
        if (response !== undefined) {
            const parent = byMockUrn.get(req.getParent());
            const type = req.getType();
            const qualifiedType = parent === undefined || parent.registration.type === STACK_TYPE ? type : `${parent.qualifiedType}$${type}`;
            const registration: Registration = {
                urn: `urn:pulumi:${stack}::${PROJECT}::${qualifiedType}::${req.getName()}`,
                type,
                name: req.getName(),
                custom: req.getCustom(),
                parent: parent?.registration.urn,
                provider: req.getProvider() === "" ? undefined : engineUrn(req.getProvider().split("::").slice(0, -1).join("::")),
                dependsOn: req.getDependenciesList().map(engineUrn),
                aliases: req.getAliasesList().flatMap((alias) => {
                    const spec = alias.getSpec();
                    return spec === undefined ? [] : [{
                        ...(spec.getName() === "" ? {} : { name: spec.getName() }),
                        ...(spec.getType() === "" ? {} : { type: spec.getType() }),
                    }];
                }),
                protect: req.getProtect() === true,
                inputs: pulumi.runtime.deserializeProperties(req.getObject()),
            };
            byMockUrn.set(response.getUrn(), { registration, qualifiedType });
            registrations.push(registration);
        }
        callback(err, response);
    });
    return registrations;
}

/** Waits until every registration the program started has reached the monitor. */
export function allRegistered(): Promise<void> {
    return runtime.waitForRPCs();
}
