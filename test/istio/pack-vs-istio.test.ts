// Istio's own validation is the reference for what a valid Istio object is. Every object the unit
// tests put in front of the policy pack, every release they plan, the dev stack as `npm run render`
// writes it and the YAML fixtures under test/ go through the istioctl built from the Istio module
// (`istioctl validate`, which runs the checks of Istio's admission webhook, and `istioctl analyze`).
// The pack must never pass what Istio rejects; where it rejects what Istio accepts, the policy's
// entry in STRICTER_THAN_ISTIO says why.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { evaluate, type Finding } from "../../policy/lib/rule.ts";
import { rules } from "../../policy/rules.ts";
import { canonicalJson } from "../../policy/lib/values.ts";
import { CLUSTER_WEIGHTS_ANNOTATION } from "../../mesh/annotations.ts";
import { indexStack, type StackIndex } from "../../policy/lib/stack.ts";
import { runTool } from "../support/run-tool.ts";
import {
    hasUnknown, isBody, readRecordedCorpus, renderedDirectory, toObjects, yamlFixtures,
    type Body, type CorpusEntry,
} from "./support/corpus.ts";
import { analyzeEach, validateEach, type AnalyzeMessage, type Verdict } from "./support/istioctl.ts";

/**
 * Policies that reject objects Istio accepts, and why that is wanted. Istio validates one object at a
 * time and takes any syntactically valid config; the pack judges the release as a whole.
 */
const STRICTER_THAN_ISTIO: Record<string, string> = {
    "istio-destinationrule-requires-istio-mutual":
        "Istio accepts every TLS mode; the release demands mesh-issued mutual TLS, so DISABLE, SIMPLE and MUTUAL are refused.",
    "istio-virtualservice-weights-must-sum-to-100":
        "Istio reads weights as relative proportions (80 + 30 routes 73/27); the pack wants the percentages a reviewer reads.",
    "istio-virtualservice-references-must-resolve":
        "Istio accepts a route to a host, subset, port or Gateway that does not exist (it answers 503 or serves nothing); " +
        "validation sees one object, the pack sees the stack.",
    "istio-destinationrule-subsets-must-select-pods":
        "A subset that selects no pod is valid config to Istio (requests to it get 503); only the whole stack shows it.",
    "kubernetes-service-must-match-across-clusters":
        "Each cluster's Service is valid on its own; Istio merges endpoints only across identical Services.",
    "istio-virtualservice-routes-must-match-across-clusters":
        "Each primary's VirtualService is valid on its own; only the stack shows that two primaries' gateways would serve " +
        "different splits by accident.",
    "istio-namespace-requires-sidecar-injection":
        "istioctl validate does not look at injection labels; a routed workload that opts out of its sidecar is valid " +
        "config, it just leaves the mesh.",
};

const bin = inject("istioBin");
const scratch = mkdtempSync(join(tmpdir(), "istio-suite-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The dev stack as the README's main job writes it. */
function renderDevStack(): CorpusEntry {
    const out = join(scratch, "rendered");
    const run = runTool("render", ["--out", out]);
    if (run.status !== 0) {
        throw new Error(`npm run render failed: ${run.stderr}`);
    }
    return renderedDirectory(out, "render", "npm run render (dev stack)");
}

/** Kinds istioctl validate judges: Istio's own, and the Services and Deployments it checks for the mesh. */
function validatable(body: Body): boolean {
    const group = body.apiVersion.includes("/") ? body.apiVersion.slice(0, body.apiVersion.lastIndexOf("/")) : "";
    return group.endsWith(".istio.io") || (group === "" && body.kind === "Service") || (group === "apps" && body.kind === "Deployment");
}

/** One object of one stack, with what the pack said about it. */
/** The parts of a VirtualService's HTTP route the routing forms are told by. */
interface HttpRoute {
    match?: { headers?: Record<string, unknown> }[];
    route?: { headers?: { response?: { add?: Record<string, string> } } }[];
    mirror?: unknown;
}

interface Case {
    entry: CorpusEntry;
    cluster: string;
    body: Body;
    key: string;
    mandatory: Finding[];
}

/**
 * istioctl validate also lints Services (port names) in every namespace but istio-system; the pack
 * judges ports only in the mesh's namespaces (issue #9.3: kube-dns, or a chart deployed beside the
 * release, never gets a sidecar, so Istio never reads its port names). Outside the mesh the two are
 * not compared; Istio's own kinds are compared everywhere.
 */
function compared(body: Body, stack: StackIndex): boolean {
    return body.apiVersion.includes(".istio.io/") || stack.inMesh(body.metadata.namespace ?? "default") === true;
}

function casesOf(entry: CorpusEntry): Case[] {
    const objects = toObjects(entry);
    const findings = evaluate(rules, objects).filter((f) => f.level === "mandatory");
    const stack = indexStack(objects);
    return Object.entries(entry.clusters).flatMap(([cluster, bodies]) => bodies
        .filter(isBody)
        .filter((body) => validatable(body) && !hasUnknown(body) && compared(body, stack))
        .map((body) => ({
            entry,
            cluster,
            body,
            key: canonicalJson(body),
            mandatory: findings.filter((f) => f.subject.cluster.key === cluster && f.subject.kind === body.kind
                && f.subject.name === body.metadata.name && (f.subject.namespace ?? "default") === (body.metadata.namespace ?? "default")),
        })));
}

function describeCase(c: Case): string {
    return `${c.entry.origin} (${c.entry.test}): ${c.body.kind} ${c.body.metadata.namespace ?? "default"}/${c.body.metadata.name} in ${c.cluster}`;
}

let corpus: CorpusEntry[];
let cases: Case[];
const verdicts = new Map<string, Verdict>();

beforeAll(async () => {
    corpus = [...readRecordedCorpus(inject("corpusDir")), renderDevStack(), ...yamlFixtures()];
    cases = corpus.flatMap(casesOf);
    const distinct = [...new Map(cases.map((c) => [c.key, c.body])).entries()];
    const results = await validateEach(bin, distinct.map(([, body]) => body));
    distinct.forEach(([key], i) => verdicts.set(key, results[i] as Verdict));
}, 600_000);

describe("the corpus", () => {
    it("holds the pack's fixtures, the planned releases and the render, with Istio objects in each", () => {
        const istioObjects = (origin: string) => cases.filter((c) => c.entry.origin === origin && c.body.apiVersion.includes(".istio.io/")).length;
        expect({ fixtures: istioObjects("policy fixture") > 100, renders: istioObjects("render") > 10 }).toEqual({ fixtures: true, renders: true });
    });

    it("holds, passed by the pack, every routing form a release renders beyond the weighted split", () => {
        const routes = (c: Case) => ((c.body.spec as { http?: HttpRoute[] } | undefined)?.http ?? []);
        const passed = cases.filter((c) => c.body.kind === "VirtualService" && c.mandatory.length === 0);
        const forms: Record<string, (c: Case) => boolean> = {
            "bound to the mesh": (c) => ((c.body.spec as { gateways?: string[] }).gateways ?? []).includes("mesh"),
            "header match": (c) => routes(c).some((r) => r.match?.some((m) => Object.keys(m.headers ?? {}).some((h) => h !== "cookie"))),
            "cookie match": (c) => routes(c).some((r) => r.match?.some((m) => m.headers?.cookie !== undefined)),
            mirror: (c) => routes(c).some((r) => r.mirror !== undefined),
            "sticky Set-Cookie": (c) => routes(c).some((r) => r.route?.some((d) => d.headers?.response?.add?.["set-cookie"] !== undefined)),
            "a cluster's own weights": (c) => (c.body.metadata as { annotations?: Record<string, string> }).annotations?.[CLUSTER_WEIGHTS_ANNOTATION] === "true",
        };
        expect(Object.entries(forms).filter(([, has]) => !passed.some(has)).map(([form]) => form)).toEqual([]);
    });

    it("holds objects Istio rejects, so the comparison below can fail", () => {
        const rejected = cases.filter((c) => verdicts.get(c.key)?.valid === false);
        expect(rejected.length).toBeGreaterThan(0);
    });
});

describe("istioctl validate against the policy pack", () => {
    it("rejects no object the pack passes (no mandatory finding)", () => {
        const passedButRejected = cases
            .filter((c) => c.mandatory.length === 0 && verdicts.get(c.key)?.valid === false)
            .map((c) => `${describeCase(c)}: ${verdicts.get(c.key)?.message}`);
        expect([...new Set(passedButRejected)]).toEqual([]);
    });

    it("accepts what the pack rejects only where a policy is documented as stricter than Istio", () => {
        const stricter = new Set(cases
            .filter((c) => c.mandatory.length > 0 && verdicts.get(c.key)?.valid === true)
            .flatMap((c) => c.mandatory.map((f) => f.policy)));
        expect([...stricter].filter((p) => !(p in STRICTER_THAN_ISTIO))).toEqual([]);
        // A reason no case needs any more is stale: drop it (or the corpus lost the fixtures that showed it).
        expect(Object.keys(STRICTER_THAN_ISTIO).filter((p) => !stricter.has(p))).toEqual([]);
    });
});

describe("istioctl analyze --use-kube=false -A", () => {
    let analyzed: { entry: CorpusEntry; cluster: string; messages: AnalyzeMessage[] }[];

    /** Renders, and the fixture stacks the pack passes as a whole, one cluster at a time (each cluster's istiod sees its own config). */
    function clustersToAnalyze(): { entry: CorpusEntry; cluster: string; objects: unknown[] }[] {
        const passed = (entry: CorpusEntry) => entry.origin === "render"
            || (!hasUnknown(entry.clusters) && evaluate(rules, toObjects(entry)).every((f) => f.level !== "mandatory"));
        // Only Kubernetes objects: a test may hand the pack something else (istioctl skips it with a
        // warning on stdout, where its JSON goes).
        return corpus.filter(passed).flatMap((entry) =>
            Object.entries(entry.clusters).map(([cluster, objects]) => ({ entry, cluster, objects: objects.filter(isBody) })));
    }

    beforeAll(async () => {
        const distinct = [...new Map(clustersToAnalyze().map((c) => [canonicalJson(c.objects), c])).values()];
        const messages = await analyzeEach(bin, distinct.map((c) => c.objects));
        analyzed = distinct.map((c, i) => ({ entry: c.entry, cluster: c.cluster, messages: messages[i] ?? [] }));
    }, 600_000);

    it("covers the renders and the fixture stacks the pack passes", () => {
        const origins = new Set(analyzed.map((a) => a.entry.origin));
        expect([...origins].sort()).toEqual(["policy fixture", "render", "yaml fixture"].filter((o) => corpus.some((e) => e.origin === o)));
    });

    it("reports no error for any cluster of them", () => {
        const errors = analyzed.flatMap((r) => r.messages.filter((m) => m.level === "Error")
            .map((m) => `${r.entry.origin} (${r.entry.test}) ${r.cluster}: ${m.code} ${m.origin}: ${m.message}`));
        expect(errors).toEqual([]);
    });
});
