// A VirtualService's routes as the pack reads them: every destination of its http, tls and tcp route
// lists, and which subsets of a host some route sends traffic to.
import type { K8sObject } from "./model.ts";
import { asArray, asString, at, isUnknown, UNKNOWN, type Unknown } from "./values.ts";

/** Where a route's destination appears in a VirtualService, with the values found there. */
export interface RouteDestination {
    /** `http[0].route[1]`, for messages. */
    path: string;
    host: unknown;
    subset: unknown;
    port: unknown;
    weight: unknown;
    /** The route list this destination belongs to, with its length (weights are judged per list). */
    routeList: string;
}

export const ROUTE_SECTIONS = ["http", "tls", "tcp"] as const;

/**
 * Where an http route sends copies of its requests: `mirror`, and each of `mirrors` (Istio's newer
 * list form), as [path, destination] pairs.
 */
function mirrorsOf(rule: unknown, at_: string): [string, unknown][] {
    const out: [string, unknown][] = [];
    const single = at(rule, "mirror");
    if (single !== undefined) {
        out.push([`${at_}.mirror`, single]);
    }
    (asArray(at(rule, "mirrors")) ?? []).forEach((mirror, k) => out.push([`${at_}.mirrors[${k}]`, at(mirror, "destination")]));
    return out;
}

/**
 * Every `route[].destination` of a VirtualService's http, tls and tcp sections, and every http
 * route's mirror destinations (a mirror to a host or subset that does not resolve is as broken as a
 * route to one: every copy fails, which no user sees and no reviewer notices). Mirrors have no weight.
 */
export function routeDestinations(object: K8sObject): RouteDestination[] {
    const out: RouteDestination[] = [];
    for (const section of ROUTE_SECTIONS) {
        (asArray(at(object.body, "spec", section)) ?? []).forEach((rule, i) => {
            const destinations: [string, unknown, unknown][] = (asArray(at(rule, "route")) ?? [])
                .map((route, j) => [`${section}[${i}].route[${j}]`, at(route, "destination"), at(route, "weight")]);
            if (section === "http") {
                destinations.push(...mirrorsOf(rule, `${section}[${i}]`).map(([path, d]): [string, unknown, unknown] => [path, d, undefined]));
            }
            for (const [path, destination, weight] of destinations) {
                out.push({
                    path,
                    routeList: `${section}[${i}]`,
                    host: at(destination, "host"),
                    subset: at(destination, "subset"),
                    port: at(destination, "port", "number"),
                    weight,
                });
            }
        });
    }
    return out;
}

/** The route name (`http[0]` "http-5000") for messages. */
export function routeLabel(object: K8sObject, routeList: string): string {
    const match = /^(\w+)\[(\d+)\]$/.exec(routeList);
    const name = match ? asString(at(object.body, "spec", match[1] as string, Number(match[2]), "name")) : undefined;
    return name === undefined ? routeList : `${routeList} ("${name}")`;
}

/** A host and subset a route sends traffic to, as written (the host not yet resolved). */
export interface RouteTarget {
    host: string;
    /** Undefined when the route names no subset (traffic goes to every pod of the host). */
    subset: string | undefined;
}

/**
 * The hosts and subsets a VirtualService sends traffic to, or UNKNOWN when preview cannot know some of
 * them yet (a route list, destination, host or subset still unknown).
 */
export function routeTargets(object: K8sObject): RouteTarget[] | Unknown {
    const spec = at(object.body, "spec");
    if (isUnknown(spec)) {
        return UNKNOWN;
    }
    const out: RouteTarget[] = [];
    for (const section of ROUTE_SECTIONS) {
        const rules = at(spec, section);
        if (isUnknown(rules)) {
            return UNKNOWN;
        }
        for (const rule of asArray(rules) ?? []) {
            const routes = at(rule, "route");
            if (isUnknown(routes)) {
                return UNKNOWN;
            }
            // A mirrored subset receives traffic too: its pods must exist like a routed one's.
            const mirrors = section === "http" ? mirrorsOf(rule, "").map(([, destination]) => ({ destination })) : [];
            for (const route of [...(asArray(routes) ?? []), ...mirrors]) {
                const host = at(route, "destination", "host");
                const subset = at(route, "destination", "subset");
                if (isUnknown(host) || isUnknown(subset)) {
                    return UNKNOWN;
                }
                if (typeof host === "string") {
                    out.push({ host, subset: asString(subset) || undefined });
                }
            }
        }
    }
    return out;
}
