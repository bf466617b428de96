// `npm run bench`, verify's section: requests to a verdict against the one-shot TOST, and the request
// rate against autocannon, all against one local sample server running on its own thread.
import autocannon from "autocannon";
import { startSampleServerThread } from "../harness/sample-server-thread.ts";
import { REFERENCE_POWER } from "../tools/verify/design.ts";
import { parseExpect } from "../tools/verify/expected.ts";
import { DEFAULTS, type VerifyOptions } from "../tools/verify/options.ts";
import { verifySplit } from "../tools/verify/verify-split.ts";
import { CALIBRATION } from "../tools/verify/calibration-figures.ts";
import { seededRandom } from "../tools/verify/random.ts";
import { quantile, simulateRuns } from "../tools/verify/simulate.ts";
import { fixedSampleSize, normalQuantile } from "../tools/verify/tost.ts";
import type { BenchLine, BenchSection } from "./section.ts";

const HTTP_RUNS = 201;
const SIMULATED_RUNS = 4000;
const RATE_REQUESTS = 40000;
const RATE_ROUNDS = 5;
/** autocannon checks `amount` only on its 1 s tick, which would understate its rate: it runs for a fixed time. */
const CANNON_SECONDS = 1.5;
const RATE_CONCURRENCY = 64;

const split = (v1: number, v2: number) => [{ answer: "v1", weight: v1 }, { answer: "v2", weight: v2 }];

export async function benchVerify(): Promise<BenchSection> {
    const server = await startSampleServerThread({
        mix: split(80, 20),
        seed: 2024,
        routes: {
            "/80-20/hello": { mix: split(80, 20) },
            "/50-50/hello": { mix: split(50, 50) },
            // Exactly on the tolerance edge: no verdict is possible, so every run goes to the cap.
            "/75-25/hello": { mix: split(3, 1), order: "cycle" },
        },
    });
    const base = new URL(server.url).origin;
    try {
        return { title: "verify: requests to a verdict and request rate", lines: [...await efficiency(base), ...await rate(base), ...simulated()] };
    } finally {
        await server.close();
    }
}

/** verify of an 80/20 split at `url`, with its defaults unless `options` says otherwise. */
function verify(url: string, options: Partial<VerifyOptions> = {}) {
    return verifySplit({ url: new URL(url), expected: parseExpect("v1=80,v2=20"), ...options });
}

async function medianRequests(url: string): Promise<{ median: number; verdicts: string }> {
    const sent: number[] = [];
    const verdicts = new Map<string, number>();
    for (let i = 0; i < HTTP_RUNS; i++) {
        const report = await verify(url);
        sent.push(report.requests.sent);
        verdicts.set(report.verdict, (verdicts.get(report.verdict) ?? 0) + 1);
    }
    return { median: quantile(sent, 0.5), verdicts: [...verdicts].map(([v, n]) => `${n} ${v}`).join(", ") };
}

async function efficiency(base: string): Promise<BenchLine[]> {
    const confidence = DEFAULTS.confidence;
    const oneShot = fixedSampleSize({ share: 0.8, tolerance: 0.05, confidence, power: REFERENCE_POWER });
    const za = normalQuantile(confidence);
    const zb = normalQuantile(1 - (1 - REFERENCE_POWER) / 2);
    const match = await medianRequests(`${base}/80-20/hello`);
    const mismatch = await medianRequests(`${base}/50-50/hello`);
    const ratio = match.median / oneShot;
    return [
        {
            name: "one-shot TOST n (80/20, ±5 pp, 95%, power 90%)",
            value: `${oneShot} = (z_{1-a} + z_{1-b/2})^2 × w(1-w) / d^2 with a = ${(1 - confidence).toFixed(2)}, ` +
                `b = ${(1 - REFERENCE_POWER).toFixed(2)}: (${za.toFixed(3)} + ${zb.toFixed(3)})^2 × 0.8 × 0.2 / 0.05^2`,
        },
        {
            name: `median requests sent to MATCH, true 80/20 (${HTTP_RUNS} HTTP runs)`,
            value: `${match.median} = ${ratio.toFixed(2)}x of ${oneShot} (${match.verdicts})`,
            target: "<= 0.75x the one-shot TOST",
            ok: ratio <= 0.75,
        },
        {
            name: `median requests sent to MISMATCH, true 50/50 vs 80/20 (${HTTP_RUNS} HTTP runs)`,
            value: `${mismatch.median} (${mismatch.verdicts})`,
            target: "< 60",
            ok: mismatch.median < 60,
        },
    ];
}

async function rate(base: string): Promise<BenchLine[]> {
    const url = `${base}/75-25/hello`;
    await autocannon({ url, connections: RATE_CONCURRENCY, amount: 2000 }); // warm-up: JIT and sockets
    // Back-to-back pairs, judged on the median ratio: a busy machine slows both sides of a pair alike.
    const cannon: number[] = [];
    const ours: number[] = [];
    for (let round = 0; round < RATE_ROUNDS; round++) {
        const result = await autocannon({ url, connections: RATE_CONCURRENCY, duration: CANNON_SECONDS });
        cannon.push(result.requests.total / ((result.finish.getTime() - result.start.getTime()) / 1000));
        const report = await verify(url, { concurrency: RATE_CONCURRENCY, maxRequests: RATE_REQUESTS });
        ours.push(report.requestsPerSecond);
    }
    const ratio = quantile(ours.map((o, i) => o / (cannon[i] ?? Infinity)), 0.5);
    const rates = (xs: number[]) => `median ${Math.round(quantile(xs, 0.5))} req/s (${xs.map(Math.round).join(", ")})`;
    return [
        { name: `autocannon, ${RATE_CONCURRENCY} connections, ${CANNON_SECONDS} s x ${RATE_ROUNDS}`, value: rates(cannon) },
        { name: `verify, concurrency ${RATE_CONCURRENCY}, ${RATE_REQUESTS} requests x ${RATE_ROUNDS}`, value: rates(ours) },
        { name: "verify / autocannon request rate (median of pairs)", value: `${ratio.toFixed(2)}x`, target: ">= 0.5x", ok: ratio >= 0.5 },
    ];
}

function simulated(): BenchLine[] {
    const expected = [{ version: "v1", share: 0.8 }, { version: "v2", share: 0.2 }];
    const input = { expected, tolerance: 0.05, confidence: DEFAULTS.confidence, maxRequests: DEFAULTS.maxRequests, maxErrorRate: DEFAULTS.maxErrorRate };
    const truth = (v1: number) => [{ name: "v1", weight: v1 }, { name: "v2", weight: 100 - v1 }];
    const run = (v1: number, runs: number, seed: number) => simulateRuns({ ...input, truth: truth(v1) }, runs, seededRandom(seed));
    const share = (runs: { verdict: string }[], verdict: string) => runs.filter((r) => r.verdict === verdict).length / runs.length;
    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    const r80 = run(80, SIMULATED_RUNS, 1);
    const r77 = run(77, 1000, 2);
    const r70 = run(70, 1000, 3);
    const n77 = r77.map((r) => r.requests);
    const quoted = {
        decided7723Percent: Math.round(1000 * (1 - share(r77, "inconclusive"))) / 10,
        median7723: Math.round(quantile(n77, 0.5) / 100) * 100,
        p99_7723: Math.round(quantile(n77, 0.99) / 100) * 100,
        median8020: Math.round(quantile(r80.map((r) => r.requests), 0.5) / 10) * 10,
    };
    const quotedOk = (Object.keys(CALIBRATION) as Array<keyof typeof CALIBRATION>).every((k) => quoted[k] === CALIBRATION[k]);
    return [
        { name: `simulated 80/20: median requests (${SIMULATED_RUNS} runs)`, value: String(quantile(r80.map((r) => r.requests), 0.5)) },
        { name: "simulated 80/20: false failures (not MATCH)", value: pct(1 - share(r80, "match")), target: "<= 5% (1 - confidence)", ok: 1 - share(r80, "match") <= 0.05 },
        { name: "simulated 70/30: misses (not MISMATCH, 1000 runs)", value: pct(1 - share(r70, "mismatch")) },
        {
            name: `simulated 77/23: decided within ${DEFAULTS.maxRequests} (1000 runs)`,
            value: `${pct(1 - share(r77, "inconclusive"))} (${pct(share(r77, "match"))} MATCH); median ${quantile(n77, 0.5)}, p95 ${quantile(n77, 0.95)}, p99 ${quantile(n77, 0.99)} requests`,
            target: ">= 99% decided",
            ok: 1 - share(r77, "inconclusive") >= 0.99,
        },
        {
            name: "the figures --help and the README quote (tools/verify/calibration-figures.ts)",
            value: JSON.stringify(quoted),
            target: "as quoted",
            ok: quotedOk,
        },
    ];
}
