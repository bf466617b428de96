// A small client for one API server, authenticated with a client certificate: enough to apply objects
// (server-side apply), read them back and wait for conditions, without kubectl. The tests read what
// the API server holds through it, never Pulumi's state.
import { readFileSync } from "node:fs";
import { Agent, request } from "node:https";

export interface KubeCredentials {
    /** https://127.0.0.1:<port> */
    server: string;
    /** PEM file paths. */
    caCert: string;
    clientCert: string;
    clientKey: string;
}

export interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: {
        name: string;
        namespace?: string;
        resourceVersion?: string;
        managedFields?: { manager: string; operation: string; fieldsV1?: Record<string, unknown> }[];
        [key: string]: unknown;
    };
    [key: string]: unknown;
}

export class KubeApiError extends Error {
    readonly status: number;

    constructor(status: number, method: string, url: string, body: string) {
        super(`${method} ${url}: HTTP ${status}: ${body.slice(0, 2000)}`);
        this.status = status;
    }
}

/** The REST path of a kind's collection, e.g. /apis/apps/v1/namespaces/x/deployments. */
export function collectionPath(apiVersion: string, plural: string, namespace?: string): string {
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return namespace === undefined ? `${base}/${plural}` : `${base}/namespaces/${namespace}/${plural}`;
}

/** Kinds whose resource name is not the regular plural of the kind. */
const IRREGULAR_PLURALS: Record<string, string> = { Endpoints: "endpoints" };

/** The resource name of a kind (the API's own naming: lower case, plural). */
export function pluralOf(kind: string): string {
    const irregular = IRREGULAR_PLURALS[kind];
    if (irregular !== undefined) {
        return irregular;
    }
    const lower = kind.toLowerCase();
    if (lower.endsWith("s")) {
        return `${lower}es`;
    }
    // policy -> policies, but gateway -> gateways.
    return /[^aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : `${lower}s`;
}

export function objectPath(object: Pick<KubeObject, "apiVersion" | "kind" | "metadata">): string {
    return `${collectionPath(object.apiVersion, pluralOf(object.kind), object.metadata.namespace)}/${object.metadata.name}`;
}

export class KubeApi {
    readonly credentials: KubeCredentials;
    private readonly agent: Agent;

    constructor(credentials: KubeCredentials) {
        this.credentials = credentials;
        this.agent = new Agent({
            ca: readFileSync(credentials.caCert),
            cert: readFileSync(credentials.clientCert),
            key: readFileSync(credentials.clientKey),
            keepAlive: true,
        });
    }

    /** Closes the kept-alive connections (a process with open sockets does not exit). */
    close(): void {
        this.agent.destroy();
    }

    /** One request; the body is JSON unless `contentType` says otherwise. Rejects on HTTP >= 400. */
    async call(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<string> {
        const url = new URL(path, this.credentials.server);
        const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        return new Promise((resolve, reject) => {
            const req = request(url, {
                method,
                agent: this.agent,
                headers: {
                    accept: "application/json",
                    ...(payload === undefined ? {} : { "content-type": contentType, "content-length": Buffer.byteLength(payload) }),
                },
                timeout: 30_000,
            }, (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (chunk: Buffer) => chunks.push(chunk));
                res.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    if ((res.statusCode ?? 0) >= 400) {
                        reject(new KubeApiError(res.statusCode ?? 0, method, url.pathname, text));
                    } else {
                        resolve(text);
                    }
                });
                res.on("error", reject);
            });
            req.on("timeout", () => req.destroy(new Error(`${method} ${url.pathname}: no answer in 30 s`)));
            req.on("error", reject);
            req.end(payload);
        });
    }

    async get<T = KubeObject>(path: string): Promise<T> {
        return JSON.parse(await this.call("GET", path)) as T;
    }

    /** The object, or undefined when the API server answers 404. */
    async find<T = KubeObject>(path: string): Promise<T | undefined> {
        try {
            return await this.get<T>(path);
        } catch (err) {
            if (err instanceof KubeApiError && err.status === 404) {
                return undefined;
            }
            throw err;
        }
    }

    async list(path: string): Promise<KubeObject[]> {
        return (await this.get<{ items: KubeObject[] }>(path)).items;
    }

    /**
     * Server-side apply of `object` as `fieldManager` (what `kubectl apply --server-side` sends); with
     * `force`, fields another manager owns are taken over instead of failing with a conflict.
     */
    async apply(object: KubeObject, fieldManager: string, force = false): Promise<KubeObject> {
        const query = new URLSearchParams({ fieldManager, ...(force ? { force: "true" } : {}) });
        const text = await this.call("PATCH", `${objectPath(object)}?${query.toString()}`, object, "application/apply-patch+yaml");
        return JSON.parse(text) as KubeObject;
    }

    /** GET <path> until it answers 200, or throw after `timeoutMs` with the last error. */
    async waitForPath(path: string, timeoutMs: number): Promise<string> {
        return waitFor(`${this.credentials.server}${path}`, timeoutMs, () => this.call("GET", path));
    }
}

/** Thrown by a waitFor() attempt to stop waiting at once (e.g. the server being waited for exited). */
export class WaitAborted extends Error {}

/**
 * Retries `attempt` every 200 ms until it resolves to something other than undefined, or throws after
 * `timeoutMs` with what was awaited and the last error (or "not yet" when the last attempt answered
 * undefined).
 */
export async function waitFor<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        let last: string;
        try {
            const value = await attempt();
            if (value !== undefined) {
                return value;
            }
            last = "not yet";
        } catch (err) {
            if (err instanceof WaitAborted) {
                throw err;
            }
            last = (err as Error).message;
        }
        if (Date.now() > deadline) {
            throw new Error(`waited ${Math.round(timeoutMs / 1000)} s for ${what}: ${last}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}

/** waitFor() of a check that needs no I/O of its own (e.g. reading a state file). */
export function waitUntil<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
    return waitFor(what, timeoutMs, () => Promise.resolve(check()));
}
