// Sets up what the engine gives a program before it runs: stack config and (here) a mock monitor
// that records every registration. Pulumi's runtime is process-global: one program run per test file.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "../../config/index.ts";

export interface Registration {
    type: string;
    name: string;
    provider?: string;
}

/** Sets stack config as the engine passes it (structured values as JSON) and records registrations. */
export async function mockProgramRun(raw: Record<string, unknown>): Promise<Registration[]> {
    const registered: Registration[] = [];
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(raw).map(([key, value]) => [
        `${CONFIG_NAMESPACE}:${key}`, typeof value === "string" ? value : JSON.stringify(value),
    ])));
    await pulumi.runtime.setMocks({
        newResource: (args) => {
            registered.push({ type: args.type, name: args.name, provider: args.provider });
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
    }, "helloworld-grayscale", "dev", true);
    return registered;
}
