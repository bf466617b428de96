// A duration in the stack file, read by the one grammar every command's flags use (a bare number is
// seconds here too): its own module, as both the rollout plan and the routing keys use it and the
// rollout's A/B phase reuses routing's match conditions.
import { z } from "zod";
import { parseDurationMs } from "../tools/command/duration.ts";

export { parseDurationMs };

export const duration = (example: string) => z.union([z.string(), z.number()], { error: `must be a duration such as ${example}` })
    .refine((value) => parseDurationMs(String(value)) !== undefined,
        { error: `must be a duration such as ${example} (a number and a unit, ms, s, m or h; a bare number is seconds)` })
    .transform((value) => parseDurationMs(String(value)) as number);
