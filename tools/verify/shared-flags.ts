// The flags `npm run rollout` shares with `npm run verify`: rollout reads --url and --host for the
// checks it runs through verify, and hands the sequential test's flags on to verify as given (verify
// checks them, rollout before its first step). Defined once, so the two cannot drift apart.
import type { ParseArgsOptionsConfig } from "node:util";

/** The sequential test's settings. */
const TEST_OPTIONS = {
    tolerance: { type: "string" },
    confidence: { type: "string" },
    "max-requests": { type: "string" },
} as const satisfies ParseArgsOptionsConfig;

export const SHARED_OPTIONS = {
    url: { type: "string" },
    host: { type: "string" },
    ...TEST_OPTIONS,
} as const satisfies ParseArgsOptionsConfig;

/** The flags rollout passes on to verify, in this order. */
// Object.keys types its result as string[]; these are exactly TEST_OPTIONS's keys.
export const TEST_FLAGS = Object.keys(TEST_OPTIONS) as (keyof typeof TEST_OPTIONS)[];
