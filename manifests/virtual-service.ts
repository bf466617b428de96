import type { ReleaseCluster, ReleaseSpec } from "../config/index.ts";
import type { RouteMatch } from "../config/routing.ts";
import { CLUSTER_WEIGHTS_ANNOTATION } from "../mesh/annotations.ts";
import { MESH_GATEWAY } from "../mesh/hosts.ts";
import { deployedVersions, serviceHost, subsetName } from "./labels.ts";
import { istioManifest, type IstioSpecs, type VirtualServiceManifest } from "./types.ts";

type HttpRoute = NonNullable<IstioSpecs["VirtualService"]["http"]>[number];
type RouteSpec = Pick<ReleaseSpec, "namespace" | "service" | "versions" | "gateway" | "virtualService" | "istioApiVersion" | "routing">;

/** The name of the VirtualService that splits mesh callers: the gateway's, with `-mesh`. */
export function meshVirtualServiceName(spec: Pick<ReleaseSpec, "virtualService">): string {
    return `${spec.virtualService.name}-mesh`;
}

/** The split one config cluster applies: its own weights (a wave), else the release's. */
export function clusterWeights(spec: Pick<ReleaseSpec, "versions">, cluster: Pick<ReleaseCluster, "weights">): Record<string, number> {
    return cluster.weights ?? Object.fromEntries(spec.versions.map((v) => [v.name, v.weight]));
}

/**
 * The routes of one config cluster: a VirtualService for the ingress Gateway and, unless
 * `routing.mesh` is false, one for the mesh's sidecars (Istio refuses host `*` on a mesh-bound
 * VirtualService, so it names the Service's host). Both carry the same routes, so a caller gets the
 * same split whether it comes through the ingress or from inside the mesh. These are the objects a
 * weight change touches.
 */
export function virtualServiceManifests(spec: RouteSpec, cluster: Pick<ReleaseCluster, "weights">): VirtualServiceManifest[] {
    const http = httpRoutes(spec, clusterWeights(spec, cluster));
    const manifest = (name: string, hosts: string[], gateways: string[]) => {
        const vs = istioManifest(spec.istioApiVersion, "VirtualService", { name, namespace: spec.namespace }, { hosts, gateways, http });
        // A wave's weights differ from the other primaries' on purpose: the pack lets this one through.
        if (cluster.weights !== undefined) {
            vs.metadata.annotations = { ...vs.metadata.annotations, [CLUSTER_WEIGHTS_ANNOTATION]: "true" };
        }
        return vs;
    };
    const forGateway = manifest(spec.virtualService.name, spec.gateway.hosts, [spec.gateway.name]);
    return spec.routing.mesh ? [forGateway, manifest(meshVirtualServiceName(spec), [serviceHost(spec)], [MESH_GATEWAY])] : [forGateway];
}

/**
 * In order: each of `routing.matches` (testers first: the first match wins), the sticky users' route,
 * then the weighted split (named after the port), which alone is mirrored and sets the sticky cookie.
 * Only versions with a weight above 0 get a weighted destination: leaving the others out makes "no
 * traffic" visible in the object itself.
 */
function httpRoutes(spec: RouteSpec, weights: Record<string, number>): HttpRoute[] {
    const host = serviceHost(spec);
    const destination = (version: string) => ({ host, subset: subsetName(version), port: { number: spec.service.port } });
    const { matches, mirror, sticky } = spec.routing;
    const routes: HttpRoute[] = matches.map((match, i) => ({
        name: `match-${i}-${match.version}`,
        match: [{ headers: matchHeaders(match) }],
        route: [{ destination: destination(match.version) }],
    }));
    if (sticky !== undefined) {
        routes.push({
            name: `sticky-${sticky.version}`,
            match: [{ headers: { cookie: { regex: cookieRegex(sticky.cookie, sticky.version) } } }],
            route: [{ destination: destination(sticky.version) }],
        });
    }
    const routed = deployedVersions(spec).filter((v) => (weights[v.name] ?? 0) > 0);
    routes.push({
        name: spec.service.portName,
        route: routed.map((v) => ({
            destination: destination(v.name),
            weight: weights[v.name] as number,
            // The weights sent this user to the sticky version: a cookie keeps them there (the route above).
            ...(sticky?.version === v.name ? { headers: { response: { add: { "set-cookie": stickyCookie(sticky.cookie, v.name, sticky.maxAgeMs) } } } } : {}),
        })),
        ...(mirror === undefined ? {} : { mirror: destination(mirror.version), mirrorPercentage: { value: mirror.percent } }),
    });
    return routes;
}

function matchHeaders(match: RouteMatch): Record<string, { exact: string } | { regex: string }> {
    const headers: Record<string, { exact: string } | { regex: string }> = Object.fromEntries(
        Object.entries(match.headers ?? {}).map(([name, value]) => [name, { exact: value }]));
    const [cookie] = Object.entries(match.cookie ?? {});
    if (cookie !== undefined) {
        headers.cookie = { regex: cookieRegex(cookie[0], cookie[1]) };
    }
    return headers;
}

/** RE2 for a `cookie` header that carries `name=value` among any others. */
export function cookieRegex(name: string, value: string): string {
    return `^(.*?;\\s*)?${escapeRegex(name)}=${escapeRegex(value)}(;.*)?$`;
}

/** The Set-Cookie of a sticky user: the whole site, for maxAge (whole seconds, at least one). */
export function stickyCookie(name: string, version: string, maxAgeMs: number): string {
    return `${name}=${version}; Max-Age=${Math.max(1, Math.round(maxAgeMs / 1000))}; Path=/`;
}

function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
