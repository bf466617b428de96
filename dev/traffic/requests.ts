// Requests through the local data plane's ingress gateway, counted the way a user would see them:
// which version and which pod answered, and every failure by kind (HTTP status or connection error).
import { Agent, request } from "undici";

export interface Tally {
    /** Answers by version (from the sample's "Hello version: v1, instance: <pod>"). */
    versions: Map<string, number>;
    /** Answers by the pod that gave them. */
    instances: Map<string, number>;
    /** Non-2xx answers by status code. */
    statuses: Map<number, number>;
    /** Requests that got no HTTP answer, by error code. */
    connectionErrors: Map<string, number>;
    total: number;
}

const ANSWER = /^Hello version: ([^,\s]+), instance: (\S+)/;

function emptyTally(): Tally {
    return { versions: new Map(), instances: new Map(), statuses: new Map(), connectionErrors: new Map(), total: 0 };
}

function add<K>(map: Map<K, number>, key: K): void {
    map.set(key, (map.get(key) ?? 0) + 1);
}

/** One request, added to the tally; returns the version that answered, if one did. */
async function tallyOne(tally: Tally, url: string, dispatcher: Agent, headers: Record<string, string> = {}): Promise<string | undefined> {
    tally.total++;
    try {
        const res = await request(url, { dispatcher, headers, headersTimeout: 10_000, bodyTimeout: 10_000 });
        const body = await res.body.text();
        if (res.statusCode < 200 || res.statusCode > 299) {
            add(tally.statuses, res.statusCode);
            return undefined;
        }
        const match = ANSWER.exec(body);
        const version = match?.[1] ?? "(unmatched)";
        add(tally.versions, version);
        add(tally.instances, match?.[2] ?? "(unmatched)");
        return version;
    } catch (err) {
        const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
        add(tally.connectionErrors, e.cause?.code ?? e.code ?? e.message);
        return undefined;
    }
}

/** `count` requests, `concurrency` at a time. */
export async function burst(url: string, count: number, concurrency = 8, headers: Record<string, string> = {}): Promise<Tally> {
    const tally = emptyTally();
    const dispatcher = new Agent({ connections: concurrency });
    let sent = 0;
    try {
        await Promise.all(Array.from({ length: concurrency }, async () => {
            while (sent < count) {
                sent++;
                await tallyOne(tally, url, dispatcher, headers);
            }
        }));
    } finally {
        await dispatcher.close();
    }
    return tally;
}

export interface Stream {
    /** Stops sending, waits for the requests in flight, and returns what the stream saw; safe to call twice. */
    stop(): Promise<Tally>;
}

export interface StreamOptions {
    clients?: number;
    /** Between one answer and the next request of a client. */
    intervalMs?: number;
    /** The stream stops by itself after this long. */
    maxMs?: number;
    /** Told of each request as its answer arrives: the version, or undefined for a failure. */
    onAnswer?: (version: string | undefined) => void;
}

/**
 * A steady stream of requests, one every `intervalMs` from each of `clients` connections, until
 * stop(): what users see while the release changes under them. Bounded by `maxMs` in case a test
 * never stops it.
 */
export function steadyStream(url: string, options: StreamOptions = {}): Stream {
    const clients = options.clients ?? 4;
    const intervalMs = options.intervalMs ?? 20;
    const deadline = Date.now() + (options.maxMs ?? 120_000);
    const tally = emptyTally();
    const dispatcher = new Agent({ connections: clients });
    let running = true;
    const loops = Array.from({ length: clients }, async () => {
        while (running && Date.now() < deadline) {
            // Awaited apart: an optional call skips evaluating its argument when there is no hook.
            const version = await tallyOne(tally, url, dispatcher);
            options.onAnswer?.(version);
            await new Promise((resolve) => setTimeout(resolve, intervalMs));
        }
    });
    // Stopped once, however often stop() is called (a test's own stop and its afterAll's).
    let stopped: Promise<Tally> | undefined;
    return {
        stop() {
            stopped ??= (async () => {
                running = false;
                await Promise.all(loops);
                await dispatcher.close();
                return tally;
            })();
            return stopped;
        },
    };
}

/** A tally's failures in one line, for assertion messages. */
export function failures(tally: Tally): string {
    return `statuses ${JSON.stringify([...tally.statuses])}, connection errors ${JSON.stringify([...tally.connectionErrors])} of ${tally.total}`;
}
