// What the ingress gateway gets from istiod, through ingress-xds (scripts/istio/ingress-xds): the
// route of one Gateway port, and for every cluster it sends traffic to, the transport socket and
// the endpoints. Once, or as a stream of route versions for timing how fast a change arrives.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { waitFor } from "../clusters/kube-api.ts";

export interface WeightedCluster {
    cluster: string;
    weight: number;
}

export interface IngressView {
    route: {
        name: string;
        version: string;
        virtualHosts: { name: string; domains: string[]; routes: { name: string; cluster?: string; weightedClusters?: WeightedCluster[] }[] }[];
    };
    clusters: Record<string, {
        transportSocket: null | {
            name: string;
            sni: string;
            alpn: string[] | null;
            certificateSds: string[] | null;
            validationSds: string;
            subjectAltNames: string[] | null;
        };
        endpoints: { address: string; port: number; health: string; workload?: string }[];
    }>;
    /** With watchIngress(): when ingress-xds had this version complete (Unix milliseconds). */
    receivedAtMs?: number;
}

export interface IngressArgs {
    /** Where ingress-xds is (scripts/istio-tools). */
    binDir: string;
    /** istiod's plaintext xDS address. */
    xds: string;
    /** The cluster the gateway runs in, and its namespace and labels (default istio-system, istio=ingressgateway). */
    clusterId: string;
    namespace?: string;
    labels?: string;
    /** The Gateway server port (default 80): the route is `http.<port>`. */
    port?: number;
}

function flags(args: IngressArgs): string[] {
    return [`-xds=${args.xds}`, `-cluster-id=${args.clusterId}`, `-namespace=${args.namespace ?? "istio-system"}`,
        `-labels=${args.labels ?? "istio=ingressgateway"}`, `-port=${args.port ?? 80}`];
}

/** The ingress's view once: the first complete answer istiod gives. */
export function ingressView(args: IngressArgs, timeoutSeconds = 30): IngressView {
    const run = spawnSync(path.join(args.binDir, "ingress-xds"), [...flags(args), `-timeout=${timeoutSeconds}s`], { encoding: "utf8" });
    if (run.status !== 0) {
        throw new Error(`ingress-xds failed (exit ${run.status}): ${run.stderr.trim()}`);
    }
    return JSON.parse(run.stdout) as IngressView;
}

/** A subset cluster's name, `outbound|<port>|<subset>|<host>`, taken apart. */
export function parseClusterName(name: string): { port: number; subset: string; host: string } | undefined {
    const [direction, port, subset, host] = name.split("|");
    return direction === "outbound" && host !== undefined ? { port: Number(port), subset: subset ?? "", host } : undefined;
}

/** The name Istio gives the ingress's cluster for one subset of a service port. */
export function subsetClusterName(port: number, subset: string, host: string): string {
    return `outbound|${port}|${subset}|${host}`;
}

/** Which service the ingress's route is expected to split, and between which subsets. */
export interface RoutedService {
    host: string;
    port: number;
    subsets: string[];
}

/**
 * The ingress's view once istiod serves every subset of `service` with endpoints (endpoints of a
 * remote cluster arrive a moment after the route) and `accept` takes it; asked again until `timeoutMs`.
 */
export function settledIngressView(args: IngressArgs, service: RoutedService, timeoutMs: number,
    accept: (view: IngressView) => boolean = () => true): Promise<IngressView> {
    return waitFor(`the ingress route with endpoints for subsets ${service.subsets.join(", ")}`, timeoutMs, () => {
        const view = ingressView(args, 10);
        const complete = service.subsets.every((subset) =>
            (view.clusters[subsetClusterName(service.port, subset, service.host)]?.endpoints.length ?? 0) > 0);
        return Promise.resolve(complete && accept(view) ? view : undefined);
    });
}

/** Weight per subset of `host`, from the routes that split traffic to it (empty when none does). */
export function subsetWeights(view: IngressView, host: string): Record<string, number> {
    const weights: Record<string, number> = {};
    for (const vh of view.route.virtualHosts ?? []) {
        for (const route of vh.routes) {
            for (const wc of route.weightedClusters ?? []) {
                const parsed = parseClusterName(wc.cluster);
                if (parsed?.host === host) {
                    weights[parsed.subset] = wc.weight;
                }
            }
        }
    }
    return weights;
}

export interface RouteWatch {
    /** How many route versions have been read so far: pass it to next() to skip them. */
    count(): number;
    /**
     * Resolves with the first view from the `from`-th on (already received or still to come) that
     * `accept` takes, and when ingress-xds received it (Unix milliseconds, its own clock: the caller
     * may have been blocked meanwhile, so lines are read late but stamped on time).
     */
    next(accept: (view: IngressView) => boolean, timeoutMs: number, from?: number): Promise<{ view: IngressView; at: number }>;
    stop(): void;
}

/** ingress-xds -watch: every route version istiod pushes, stamped with the time it arrived here. */
export function watchIngress(args: IngressArgs): RouteWatch {
    const child = spawn(path.join(args.binDir, "ingress-xds"), [...flags(args), "-watch"], { stdio: ["ignore", "pipe", "pipe"] });
    const seen: { view: IngressView; at: number }[] = [];
    const waiters = new Set<() => void>();
    let stderr = "";
    let exited = false;
    child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
    });
    child.on("exit", () => {
        exited = true;
        waiters.forEach((wake) => wake());
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
        const view = JSON.parse(line) as IngressView;
        seen.push({ view, at: view.receivedAtMs ?? Date.now() });
        waiters.forEach((wake) => wake());
    });
    return {
        count: () => seen.length,
        next(accept, timeoutMs, from = 0) {
            return new Promise((resolve, reject) => {
                const check = () => {
                    const found = seen.slice(from).find((s) => accept(s.view));
                    if (found !== undefined) {
                        done();
                        resolve(found);
                    } else if (exited) {
                        done();
                        reject(new Error(`ingress-xds exited: ${stderr.trim()}`));
                    }
                };
                const timer = setTimeout(() => {
                    done();
                    const last = seen.at(-1);
                    reject(new Error(`no matching route within ${timeoutMs} ms; last seen: ${last === undefined ? "nothing" : JSON.stringify(last.view.route)}`));
                }, timeoutMs);
                const done = () => {
                    clearTimeout(timer);
                    waiters.delete(check);
                };
                waiters.add(check);
                check();
            });
        },
        stop() {
            if (!exited) {
                child.kill("SIGTERM");
            }
        },
    };
}
