// The `routing` key: which callers the split applies to, and the routes ahead of and beside it —
// testers first (header and cookie matches), dark traffic (a mirrored share) and sticky users. Every
// form is what Flagger and Argo Rollouts offer for Istio, written as Istio's own VirtualService fields
// (manifests/virtual-service.ts).
import { z } from "zod";
import { duration } from "./duration.ts";

/** What is wrong with a header name to match, as Istio matches it: lower case (HTTP/2 sends no other), a token, not `cookie`. */
function headerNameProblem(name: string): string | undefined {
    if (name === "cookie") {
        return "match cookies with `cookie: { name: value }`, not a cookie header";
    }
    return /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name) ? undefined : "header names must be lower-case tokens, such as x-canary";
}

/** A cookie name or value (RFC 6265): no separators, no spaces, no quotes. */
const cookieToken = (what: string) => z.string({ error: `must be a cookie ${what} (a string)` })
    .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, { error: `must be a cookie ${what}: letters, digits and !#$%&'*+-.^_\`|~, no spaces or separators` });

/** What marks a tester's request: headers with exact values and one cookie. */
const matchConditions = {
    headers: z.record(z.string(), z.string({ error: "must be the header's exact value (a string)" }), {
        error: "must be a map of header name to exact value, e.g. { x-canary: always }",
    }).superRefine((headers, ctx) => {
        for (const name of Object.keys(headers)) {
            const problem = headerNameProblem(name);
            if (problem !== undefined) {
                ctx.addIssue({ code: "custom", message: `'${name}': ${problem}`, input: headers });
            }
        }
    }).optional(),
    // One cookie: every cookie arrives in one `cookie` header, which Istio matches with one RE2
    // regex, and RE2 has no lookahead to require two cookies in any order. List one match per cookie.
    cookie: z.record(cookieToken("name"), cookieToken("value"), {
        error: "must be a map of one cookie name to its value, e.g. { user: tester }",
    }).refine((cookie) => Object.keys(cookie).length === 1, { error: "must name exactly one cookie; add a match per cookie" }).optional(),
};

const matchesSomething = (m: { headers?: Record<string, string> | undefined; cookie?: Record<string, string> | undefined }) =>
    Object.keys(m.headers ?? {}).length > 0 || m.cookie !== undefined;

const matchSchema = z.strictObject({
    version: z.string({ error: "must name the version these requests go to (a string)" }),
    ...matchConditions,
}, { error: "must be a map such as { version: v2, headers: { x-canary: always } }" })
    .refine(matchesSomething, { error: "must match at least one header or a cookie" });

/**
 * The rollout's A/B phase (rollout.abTest, Flagger's `analysis.match`): before any weight moves, the
 * requests that carry these headers or this cookie go to the canary (a routing.matches entry whose
 * version is the canary), and the canary is judged on them for `pause` (default: rollout.pause).
 */
export const abTestSchema = z.strictObject({
    ...matchConditions,
    pause: duration("1m").optional(),
}, { error: "must be a map such as { headers: { x-canary: always } } or { cookie: { user: tester } }" })
    .refine(matchesSomething, { error: "must match at least one header or a cookie" });

const maxAge = duration("30m or 12h")
    .refine((ms) => ms >= 1000, { error: "must be at least 1s: a cookie's Max-Age counts whole seconds" });

export const routingSchema = z.strictObject({
    /** The split applies to callers inside the mesh too, through a VirtualService bound to `mesh`. */
    mesh: z.boolean({ error: "must be true or false" }).default(true),
    /** Requests that carry these headers or cookies go to the named version, whatever the weights. */
    matches: z.array(matchSchema, { error: "must be a list such as [{ version: v2, headers: { x-canary: always } }]" }).default([]),
    /** A share of the weighted route's requests is copied to this version; the copies' answers are dropped. */
    mirror: z.strictObject({
        version: z.string({ error: "must name the version that receives the copies (a string)" }),
        percent: z.number({ error: "must be a percentage from 0 to 100" }).min(0, { error: "must be a percentage from 0 to 100" })
            .max(100, { error: "must be a percentage from 0 to 100" }),
    }, { error: "must be a map such as { version: v2, percent: 10 }" }).optional(),
    /** A user the weights sent to this version gets a cookie that keeps them there for maxAge. */
    sticky: z.strictObject({
        version: z.string({ error: "must name the version users stick to (a string)" }),
        cookie: cookieToken("name").optional(),
        maxAge,
    }, { error: "must be a map such as { version: v2, maxAge: 1h }" }).optional(),
}, { error: "must be a map such as { mesh: true, matches: [...] }" }).prefault({});

export type RoutingConfig = z.infer<typeof routingSchema>;
export type RouteMatch = RoutingConfig["matches"][number];
