// The flags `npm run rollout` shares with `npm run verify`: where to send requests (--url, --host) and
// the sequential test's settings. Defined and checked once, so the two cannot drift apart; the rollout
// hands the checked values to verifySplit with each step's weights.
import type { ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "../command/errors.ts";
import { httpUrlFlag, numberFlag, type FlagValues } from "../command/flags.ts";
import { DEFAULTS, type VerifyOptions } from "./options.ts";

export const TARGET_FLAGS = {
    url: { type: "string" },
    host: { type: "string" },
    header: { type: "string", multiple: true },
} as const satisfies ParseArgsOptionsConfig;

export const TEST_FLAGS = {
    tolerance: { type: "string" },
    confidence: { type: "string" },
    "max-requests": { type: "string" },
} as const satisfies ParseArgsOptionsConfig;

/** --url (required), --host and each --header. */
export function targetOptions(values: FlagValues<typeof TARGET_FLAGS>): Pick<VerifyOptions, "url" | "host" | "headers"> {
    if (values.url === undefined) {
        throw new UsageError("--url is required, e.g. --url http://<ingress>/hello");
    }
    return { url: httpUrlFlag("--url", values.url, "http://<ingress>/hello"), ...requestOptions(values) };
}

/** --host and each --header: what goes with every request, wherever it is sent. */
export function requestOptions(values: FlagValues<typeof TARGET_FLAGS>): Pick<VerifyOptions, "host" | "headers"> {
    const headers = (values.header ?? []).map(headerFlag);
    return {
        ...(values.host === undefined ? {} : { host: values.host }),
        ...(headers.length === 0 ? {} : { headers: Object.fromEntries(headers) }),
    };
}

/** `--header 'x-canary: always'` as [name, value], the name in lower case (HTTP's names ignore case). */
function headerFlag(text: string): [string, string] {
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(text);
    if (match === null || match[1] === undefined) {
        throw new UsageError(`--header '${text}' is invalid: use 'name: value', e.g. --header 'x-canary: always' or --header 'cookie: user=tester'`);
    }
    const name = match[1].toLowerCase();
    if (name === "host") {
        throw new UsageError(`--header '${text}': give the Host header with --host`);
    }
    return [name, match[2] ?? ""];
}

/** The sequential test's settings that were given; verifySplit defaults the others. */
export function testOptions(values: FlagValues<typeof TEST_FLAGS>): Pick<VerifyOptions, "tolerance" | "confidence" | "maxRequests"> {
    return {
        ...(values.tolerance === undefined ? {} : {
            tolerance: numberFlag("--tolerance", values.tolerance, (v) => v > 0 && v < 50, "a number of percentage points above 0 and below 50") / 100,
        }),
        ...(values.confidence === undefined ? {} : {
            confidence: numberFlag("--confidence", values.confidence, (v) => v >= 0.5 && v < 1, "a probability from 0.5 up to (not including) 1, e.g. 0.95"),
        }),
        ...(values["max-requests"] === undefined ? {} : {
            maxRequests: numberFlag("--max-requests", values["max-requests"], (v) => Number.isInteger(v) && v >= 1 && v <= 10_000_000, "a whole number from 1 to 10000000"),
        }),
    };
}

/** The test settings' defaults as their flags write them, for help texts. */
export const TEST_DEFAULTS = {
    tolerance: `${DEFAULTS.tolerance * 100}`,
    confidence: `${DEFAULTS.confidence}`,
    maxRequests: `${DEFAULTS.maxRequests}`,
} as const;
