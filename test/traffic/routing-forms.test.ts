// Issue #17.1-4 on traffic: each routing form the stack's `routing` key writes into the release's two
// VirtualServices (the gateway's and the mesh's), carried by the real Envoy gateway and sidecars.
// Testers first (a header and a cookie match) and dark traffic (a mirrored share) with every user on
// v1, so that any v2 answer is the form's doing and anything v2's app is sent past the matches is a
// copy; then, at 80/20, the split of callers inside the mesh and sticky users. Every figure is what
// the requests got, or what v2's app was sent.
import { Agent, request } from "undici";
import { beforeAll, describe, expect, it } from "vitest";
import { envoyCounters } from "../../harness/traffic/proxy-admin.ts";
import { appReceived, MESH_CLIENT, meshBurst, meshClientObjects, serviceAddress } from "../../harness/traffic/mesh-client.ts";
import { burst, failures, type Tally } from "../../dev/traffic/requests.ts";
import type { PodState } from "../../dev/dataplane/dataplane-files.ts";
import { waitFor } from "../../dev/clusters/kube-api.ts";
import { serviceFqdn } from "../../mesh/hosts.ts";
import { dataPlaneDir, gatewayPod, helloUrl, liveStackConfig, readyWorkloadPod, useTrafficStack } from "./support/traffic-stack.ts";

const NAMESPACE = "gray-routing";
const PORT = 5000;
const HOST = serviceFqdn("helloworld", NAMESPACE);
const SERVICE_URL = `http://${HOST}:${PORT}/hello`;
const CLUSTER1 = "mdemo-cluster1";
const MARKED = { "x-canary": "always" };
const MIRROR_PERCENT = 50;

// Every user on v1: a v2 answer can only come from a match; v2's app sees anything else only as a copy.
const TESTERS_AND_DARK_TRAFFIC = {
    weights: { v1: 100, v2: 0 },
    routing: {
        matches: [{ version: "v2", headers: MARKED }, { version: "v2", cookie: { user: "tester" } }],
        mirror: { version: "v2", percent: MIRROR_PERCENT },
    },
};
// The default cookie name is the app's (helloworld-version); one hour is Max-Age=3600.
const STICKY_AT_80_20 = { weights: { v1: 80, v2: 20 }, routing: { sticky: { version: "v2", maxAge: "1h" } } };
const STICKY_COOKIE = "helloworld-version=v2; Max-Age=3600; Path=/";

const stack = useTrafficStack(NAMESPACE, TESTERS_AND_DARK_TRAFFIC);

let client: PodState;
let address: string;

beforeAll(async () => {
    const api = stack.apis.get(CLUSTER1);
    if (api === undefined) {
        throw new Error(`no API client for ${CLUSTER1}`);
    }
    for (const object of meshClientObjects(NAMESPACE)) {
        await api.apply(object, "traffic-test");
    }
    client = await readyWorkloadPod(NAMESPACE, MESH_CLIENT);
    address = await serviceAddress(api, NAMESPACE, "helloworld");
});

function versions(tally: Tally): Record<string, number> {
    return Object.fromEntries([...tally.versions].sort());
}

/** Requests through mdemo-cluster1's gateway, as a user outside the mesh sends them. */
async function viaGateway(count: number, headers: Record<string, string> = {}): Promise<Tally> {
    const tally = await burst(helloUrl(), count, 8, headers);
    expect(tally.statuses.size + tally.connectionErrors.size, failures(tally)).toBe(0);
    return tally;
}

/** Requests from the sidecar'd client inside the mesh to the Service's host. */
async function fromMesh(count: number, headers: Record<string, string> = {}): Promise<Tally> {
    const tally = await meshBurst(client, SERVICE_URL, { address, count, headers });
    expect(tally.statuses.size + tally.connectionErrors.size, failures(tally)).toBe(0);
    return tally;
}

/** A proxy's count of requests it sent to v2's outbound cluster (the copies among them). */
function requestsToV2(proxy: PodState): number {
    const name = `cluster.outbound|${PORT}|v2|${HOST};.upstream_rq_total`;
    return envoyCounters(dataPlaneDir(), proxy, `^${name.replace(/[|.;]/g, "\\$&")}$`).get(name) ?? 0;
}

/** What v2's app has been sent, by Host header. */
async function v2Received(): Promise<Map<string, number>> {
    return new Map(Object.entries((await appReceived(stack.pod("v2"), PORT)).hosts));
}

/** What v2's app was sent since `before`, by Host. */
function since(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
    return Object.fromEntries([...after].map(([host, n]) => [host, n - (before.get(host) ?? 0)]).filter(([, n]) => (n as number) > 0));
}

function total(counts: Record<string, number>): number {
    return Object.values(counts).reduce((a, b) => a + b, 0);
}

/**
 * Sends `send`'s requests and returns what v2's app got meanwhile, by Host, once it has every request
 * `proxy` sent to v2's cluster: copies go fire-and-forget, so they may land after the answers.
 */
async function copiesOf(proxy: PodState, send: () => Promise<void>): Promise<Record<string, number>> {
    const [sentBefore, before] = [requestsToV2(proxy), await v2Received()];
    await send();
    const sent = requestsToV2(proxy) - sentBefore;
    await expect.poll(async () => total(since(before, await v2Received())), { timeout: 10_000, interval: 200 }).toBe(sent);
    return since(before, await v2Received());
}

describe("testers first, and dark traffic, with every user on v1", () => {
    beforeAll(async () => {
        // The gateway and the client's sidecar are programmed apart: wait until both have the match.
        await waitFor("the gateway routes a marked request to v2", 20_000, async () =>
            (await burst(helloUrl(), 10, 2, MARKED)).versions.get("v2") === 10 || undefined);
        await waitFor("the client's sidecar routes a marked request to v2", 20_000, async () =>
            (await meshBurst(client, SERVICE_URL, { address, count: 10, headers: MARKED })).versions.get("v2") === 10 || undefined);
    });

    it("sends every request marked x-canary: always to v2, through the gateway and from inside the mesh", async () => {
        expect(versions(await viaGateway(200, MARKED))).toEqual({ v2: 200 });
        expect(versions(await fromMesh(200, MARKED))).toEqual({ v2: 200 });
    });

    it("leaves every other request on v1: unmarked, or marked with another value, which the exact match does not take", async () => {
        expect(versions(await viaGateway(200))).toEqual({ v1: 200 });
        expect(versions(await viaGateway(50, { "x-canary": "always-not" }))).toEqual({ v1: 50 });
        expect(versions(await viaGateway(50, { "x-canary": "never" }))).toEqual({ v1: 50 });
        expect(versions(await fromMesh(200))).toEqual({ v1: 200 });
    });

    it("sends a tester's cookie to v2, alone or among others, and a cookie that only looks like it to v1", async () => {
        expect(versions(await viaGateway(50, { cookie: "user=tester" }))).toEqual({ v2: 50 });
        expect(versions(await viaGateway(50, { cookie: "theme=dark; user=tester; lang=en" }))).toEqual({ v2: 50 });
        expect(versions(await fromMesh(50, { cookie: "user=tester" }))).toEqual({ v2: 50 });
        for (const cookie of ["user=testers", "xuser=tester", "user=admin; tester=1"]) {
            expect(versions(await viaGateway(50, { cookie })), cookie).toEqual({ v1: 50 });
            expect(versions(await fromMesh(20, { cookie })), cookie).toEqual({ v1: 20 });
        }
    });

    // What tells the copies from requests routed to v2: every user answer is v1's, and each copy
    // carries its original's Host (the gateway's address, or the Service's name from inside the mesh).
    // No -shadow suffix: istiod sets Envoy's disable_shadow_host_suffix_append (its
    // DISABLE_SHADOW_HOST_SUFFIX, true by default).
    it("answers every user from v1 while about half of their requests reach v2's app too, as copies with their Host", async () => {
        const copies = await copiesOf(gatewayPod(), async () => {
            expect(versions(await viaGateway(400))).toEqual({ v1: 400 });
        });
        expect(Object.keys(copies)).toEqual([new URL(helloUrl()).host]);
        // 50% of 400 is 200, with a binomial standard deviation of 10: five of them either side.
        expect(total(copies)).toBeGreaterThanOrEqual(150);
        expect(total(copies)).toBeLessThanOrEqual(250);
    });

    it("copies the mesh client's requests too, from its own sidecar, every answer from v1", async () => {
        const copies = await copiesOf(client, async () => {
            expect(versions(await fromMesh(200))).toEqual({ v1: 200 });
        });
        expect(Object.keys(copies)).toEqual([`${HOST}:${PORT}`]);
        // 50% of 200 is 100, standard deviation 7.1: five of them either side.
        expect(total(copies)).toBeGreaterThanOrEqual(65);
        expect(total(copies)).toBeLessThanOrEqual(135);
    });
});

interface Answer {
    version: string | undefined;
    setCookie: string[];
}

/** One request through the gateway, with `cookie` if given: who answered and what cookies it set. */
async function ask(dispatcher: Agent, cookie?: string): Promise<Answer> {
    const res = await request(helloUrl(), { dispatcher, headers: cookie === undefined ? {} : { cookie }, headersTimeout: 10_000, bodyTimeout: 10_000 });
    const body = await res.body.text();
    expect(res.statusCode, body).toBe(200);
    const setCookie = res.headers["set-cookie"];
    return {
        version: /^Hello version: ([^,\s]+),/.exec(body)?.[1],
        setCookie: setCookie === undefined ? [] : [setCookie].flat(),
    };
}

describe("at 80/20: callers inside the mesh, and sticky users", () => {
    let dispatcher: Agent;

    beforeAll(async () => {
        stack.workspace.writeConfig(liveStackConfig(NAMESPACE, STICKY_AT_80_20));
        stack.workspace.mustRun(["up", "--yes"]);
        // At 100/0 no unmarked request reached v2: the first that does shows the new route is in place.
        await waitFor("the gateway at 80/20", 20_000, async () => (await burst(helloUrl(), 20)).versions.has("v2") || undefined);
        await waitFor("the client's sidecar at 80/20", 20_000, async () =>
            (await meshBurst(client, SERVICE_URL, { address, count: 20 })).versions.has("v2") || undefined);
        dispatcher = new Agent({ connections: 4 });
        return () => dispatcher.close();
    });

    it("splits the mesh client's 400 requests 80/20 as the weights say, not half each as its endpoints would", async () => {
        const tally = await fromMesh(400);
        // 80% of 400 is 320, with a binomial standard deviation of 8: five of them either side; the
        // endpoints' round robin (multi-primary.test.ts) would give about 200.
        expect(tally.versions.get("v1") ?? 0, JSON.stringify(versions(tally))).toBeGreaterThanOrEqual(280);
        expect(tally.versions.get("v1") ?? 0, JSON.stringify(versions(tally))).toBeLessThanOrEqual(360);
        expect((tally.versions.get("v1") ?? 0) + (tally.versions.get("v2") ?? 0)).toBe(400);
    });

    it("splits users without the cookie 80/20, and sets the cookie with every v2 answer and with no v1 answer", async () => {
        const answers = await Promise.all(Array.from({ length: 200 }, () => ask(dispatcher)));
        const v2 = answers.filter((a) => a.version === "v2");
        const v1 = answers.filter((a) => a.version === "v1");
        expect(v1.length + v2.length).toBe(200);
        // 20% of 200 is 40, standard deviation 5.7: five of them either side.
        expect(v2.length).toBeGreaterThanOrEqual(12);
        expect(v2.length).toBeLessThanOrEqual(68);
        expect(new Set(v2.map((a) => JSON.stringify(a.setCookie)))).toEqual(new Set([JSON.stringify([STICKY_COOKIE])]));
        expect(v1.filter((a) => a.setCookie.length > 0)).toEqual([]);
    });

    it("keeps a user on v2 from their first v2 answer on: 200 requests sending the cookie back, none flips to v1", async () => {
        // A browser: asks until the weights send it to v2, then sends back the cookie it was given.
        let jar: string | undefined;
        for (let i = 0; i < 100 && jar === undefined; i++) {
            const answer = await ask(dispatcher);
            jar = answer.setCookie[0]?.split(";")[0];
        }
        expect(jar).toBe("helloworld-version=v2");
        const after: (string | undefined)[] = [];
        for (let i = 0; i < 200; i++) {
            after.push((await ask(dispatcher, jar)).version);
        }
        // Without the cookie's route, 200 answers at 80/20 all from v2 has odds of 0.2^200.
        expect(after.filter((v) => v !== "v2")).toEqual([]);
        expect(versions(await fromMesh(100, { cookie: `theme=dark; ${jar ?? ""}` }))).toEqual({ v2: 100 });
    });

    it("does not hold a user whose cookie names another version, or another cookie: they follow the weights", async () => {
        for (const cookie of ["helloworld-version=v1", "other-version=v2"]) {
            const tally = await viaGateway(200, { cookie });
            expect(tally.versions.get("v1") ?? 0, `${cookie}: ${JSON.stringify(versions(tally))}`).toBeGreaterThanOrEqual(132);
            expect(tally.versions.get("v2") ?? 0, `${cookie}: ${JSON.stringify(versions(tally))}`).toBeGreaterThanOrEqual(12);
        }
    });
});
