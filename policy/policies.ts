// The pack's policies as the Pulumi engine runs them. Tests import this list; only index.ts builds the pack.
import type { Policies } from "@pulumi/policy";
import { toPulumiPolicy } from "./lib/pulumi.ts";
import { rules } from "./rules.ts";

export { PACK_NAME } from "./rules.ts";

export const policies: Policies = rules.map(toPulumiPolicy);
