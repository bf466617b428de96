// rollout.waves: which clusters move together, checked against the stack's config targets, and where a
// wave-by-wave rollout resumes, read from each cluster's own weights (issue #17.5).
import { describe, expect, it } from "vitest";
import { ConfigError, describeProblem, parseReleaseConfig } from "../../config/index.ts";
import { UsageError } from "../../tools/command/errors.ts";
import { globalWeights, remainingWaves, waveVirtualServiceNames, waveWeights, type RolloutPair } from "../../tools/rollout/plan.ts";
import { configPath, onlyTheseVirtualServices, type Change } from "../../tools/rollout/stack.ts";
import { devStackConfig } from "../support/dev-stack.ts";

const C1 = "mdemo-cluster1";
const C2 = "mdemo-cluster2";
const C3 = "mdemo-cluster3";
const PAIR: RolloutPair = { canary: "v2", stable: "v1" };
const STEPS = [10, 50, 100];

/** The dev stack (two config targets) with a third config target and the given waves. */
function raw(waves: unknown, change: (r: Record<string, any>) => void = () => {}): Record<string, any> {
    const r = devStackConfig();
    r.clusters[C3] = { context: C3, istioConfig: true, workloads: false };
    r.rollout = { ...r.rollout, waves };
    change(r);
    return r;
}

function problemLines(r: Record<string, any>): string[] {
    try {
        parseReleaseConfig(r);
    } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems.map(describeProblem);
    }
    return [];
}

describe("rollout.waves: validation", () => {
    it.each<[string, unknown]>([
        ["one cluster a wave", [[C1], [C2], [C3]]],
        ["two clusters in the first wave", [[C1, C2], [C3]]],
        ["every cluster in one wave", [[C3, C1, C2]]],
    ])("accepts %s", (_label, waves) => {
        expect(problemLines(raw(waves))).toEqual([]);
        expect(parseReleaseConfig(raw(waves)).rollout.waves).toEqual(waves);
    });

    it("is absent by default: every config target moves at once", () => {
        expect(parseReleaseConfig(devStackConfig()).rollout.waves).toBeUndefined();
    });

    it.each<[string, unknown, (r: Record<string, any>) => void, string[]]>([
        ["an unknown cluster, and a target left out", [[C1], ["mdemo-cluster9"], [C2]], () => {}, [
            "rollout.waves[1][0]: 'mdemo-cluster9' is not a cluster of this stack; use one of mdemo-cluster1, mdemo-cluster2, mdemo-cluster3",
            "rollout.waves: leaves out mdemo-cluster3, which hold Istio config; add it to a wave",
        ]],
        ["a workload-only cluster", [[C1], [C2, C3]], (r) => { r.clusters[C3].istioConfig = false; r.clusters[C3].workloads = true; }, [
            "rollout.waves[1][1]: 'mdemo-cluster3' holds no Istio config, so no VirtualService of its own moves; use one of mdemo-cluster1, mdemo-cluster2",
        ]],
        ["a cluster in two waves", [[C1, C2], [C2, C3]], () => {}, [
            "rollout.waves[1][0]: 'mdemo-cluster2' is already in rollout.waves[0]; a cluster moves in one wave only",
        ]],
        ["two targets left out", [[C1]], () => {}, [
            "rollout.waves: leaves out mdemo-cluster2, mdemo-cluster3, which hold Istio config; add them to a wave",
        ]],
        ["an empty wave", [[C1, C2, C3], []], () => {}, [
            "rollout.waves[1]: must name at least one cluster: a wave moves its clusters together (got [])",
        ]],
        ["no wave", [], () => {}, [
            "rollout.waves: must list at least one wave, e.g. [[mdemo-cluster1], [mdemo-cluster2]] (got [])",
        ]],
        ["a flat list", [C1, C2, C3], () => {}, [
            "rollout.waves[0]: must be a list of cluster names, e.g. [mdemo-cluster1] (got \"mdemo-cluster1\")",
            "rollout.waves[1]: must be a list of cluster names, e.g. [mdemo-cluster1] (got \"mdemo-cluster2\")",
            "rollout.waves[2]: must be a list of cluster names, e.g. [mdemo-cluster1] (got \"mdemo-cluster3\")",
        ]],
    ])("refuses %s", (_label, waves, change, lines) => {
        expect(problemLines(raw(waves, change))).toEqual(lines);
    });
});

/** The dev stack at the global v1 100 / v2 0, with each named cluster's own canary weight. */
function stackAt(own: Record<string, number>, start = 0) {
    return parseReleaseConfig(raw([[C1], [C2], [C3]], (r) => {
        r.weights = { v1: 100 - start, v2: start };
        for (const [cluster, canary] of Object.entries(own)) {
            r.clusters[cluster].weights = { v1: 100 - canary, v2: canary };
        }
    }));
}

const WAVES = [[C1], [C2], [C3]];

describe("remainingWaves: where a wave-by-wave rollout resumes", () => {
    it.each<[string, Record<string, number>, number[], [number, number[]][]]>([
        ["a fresh rollout: every wave, every step", {}, [], [[0, STEPS], [1, STEPS], [2, STEPS]]],
        ["stopped during the first wave's second step: that step again", { [C1]: 50 }, [], [[0, [50, 100]], [1, STEPS], [2, STEPS]]],
        ["the first wave at 100, the next not moved: its last step judged again", { [C1]: 100 }, [], [[0, [100]], [1, STEPS], [2, STEPS]]],
        ["the second wave under way: the first is done", { [C1]: 100, [C2]: 10 }, [0], [[1, STEPS], [2, STEPS]]],
        ["every wave at 100 (not promoted yet): the last step judged again", { [C1]: 100, [C2]: 100, [C3]: 100 }, [0, 1], [[2, [100]]]],
    ])("%s", (_label, own, done, remaining) => {
        const plan = remainingWaves(stackAt(own), PAIR, WAVES, STEPS);
        expect(plan.start).toBe(0);
        expect(plan.done).toEqual(done);
        expect(plan.remaining.map((w) => [w.index, w.plan.steps])).toEqual(remaining);
        // Any failure takes every moved wave back to the start split, wherever the failing wave stood.
        expect(plan.remaining.map((w) => w.plan.fallback)).toEqual(remaining.map(() => 0));
    });

    it("starts from the global weights, which the waves leave alone", () => {
        const plan = remainingWaves(stackAt({ [C1]: 50 }, 10), PAIR, WAVES, STEPS);
        expect(plan.start).toBe(10);
        expect(plan.remaining.map((w) => [w.index, w.plan.steps, w.plan.fallback])).toEqual([[0, [50, 100], 10], [1, [50, 100], 10], [2, [50, 100], 10]]);
    });

    it("refuses a wave whose clusters stand apart", () => {
        expect(() => remainingWaves(stackAt({ [C1]: 50 }), PAIR, [[C1, C2], [C3]], STEPS)).toThrow(new UsageError(
            "rollout.waves[0]: its clusters' weights differ (mdemo-cluster1 v2 50, mdemo-cluster2 v2 0); a wave moves together: " +
            "give them the same clusters.<cluster>.weights, or remove those keys to start the wave again"));
    });

    it.each<[string, Record<string, number>, string]>([
        ["a later wave moved while an earlier one is not at 100", { [C1]: 50, [C2]: 10 },
            "rollout.waves[0]: at v2 50, which a rollout wave by wave never leaves (waves before the one under way at 100, those after it at the start, 0); set its clusters' weights by hand, or remove them to start again"],
        ["a wave skipped", { [C1]: 100, [C3]: 10 },
            "rollout.waves[1]: at v2 0, which a rollout wave by wave never leaves (waves before the one under way at 100, those after it at the start, 0); set its clusters' weights by hand, or remove them to start again"],
    ])("refuses %s", (_label, own, message) => {
        expect(() => remainingWaves(stackAt(own), PAIR, WAVES, STEPS)).toThrow(new UsageError(message));
    });
});

describe("waveWeights", () => {
    it("sets the pair's weights on the wave's clusters alone", () => {
        expect(waveWeights(PAIR, [C1, C3], 25)).toEqual({ [C1]: { v1: 75, v2: 25 }, [C3]: { v1: 75, v2: 25 } });
    });

    it("weighs every other deployed version as the global weights do (a cluster's own split must weigh them all), and the stack accepts it", () => {
        const config = parseReleaseConfig(raw([[C1], [C2], [C3]], (r) => {
            r.versions.v3 = { clusters: [C1], image: "example/helloworld-v3:1.0" };
            r.weights = { v1: 100, v2: 0, v3: 0 };
        }));
        const own = waveWeights(PAIR, [C1], 25, globalWeights(config));
        expect(own).toEqual({ [C1]: { v1: 75, v2: 25, v3: 0 } });
        expect(problemLines(raw([[C1], [C2], [C3]], (r) => {
            r.versions.v3 = { clusters: [C1], image: "example/helloworld-v3:1.0" };
            r.weights = { v1: 100, v2: 0, v3: 0 };
            r.clusters[C1].weights = own[C1];
        }))).toEqual([]);
    });
});

describe("configPath: a stack key as pulumi config set --path reads it", () => {
    it.each<[string[], string]>([
        [["weights", "v2"], "weights.v2"],
        [["clusters", "mdemo-cluster1", "weights"], 'clusters["mdemo-cluster1"].weights'],
        [["clusters", "arn:aws:eks:eu-west-1:1:cluster/prod", "weights", "v1"], 'clusters["arn:aws:eks:eu-west-1:1:cluster/prod"].weights.v1'],
        [["clusters", "gke.eu", "weights"], 'clusters["gke.eu"].weights'],
    ])("%j is %s", (segments, key) => {
        expect(configPath(...segments)).toBe(key);
    });
});

describe("a wave's preview guard", () => {
    const VS = "kubernetes:networking.istio.io/v1:VirtualService";
    const urn = (type: string, name: string) => `urn:pulumi:dev::helloworld-grayscale::istio-grayscale:index:GrayscaleRelease$istio-grayscale:index:ClusterRelease$${type}::${name}`;
    const change = (op: string, type: string, name: string): Change => ({ op, type, urn: urn(type, name) });

    it("names each wave cluster's gateway and mesh VirtualService, as the program registers them", () => {
        const config = parseReleaseConfig(devStackConfig());
        expect([...waveVirtualServiceNames(config, [C1])]).toEqual(["helloworld-mdemo-cluster1-gray-demo-vs", "helloworld-mdemo-cluster1-gray-demo-vs-mesh"]);
        const gatewayOnly = parseReleaseConfig({ ...devStackConfig(), routing: { mesh: false } });
        expect([...waveVirtualServiceNames(gatewayOnly, [C1, C2])]).toEqual(["helloworld-mdemo-cluster1-gray-demo-vs", "helloworld-mdemo-cluster2-gray-demo-vs"]);
    });

    it.each<[string, Change, boolean]>([
        ["the wave's gateway VirtualService updated", change("update", VS, "helloworld-mdemo-cluster1-gray-demo-vs"), true],
        ["the wave's mesh VirtualService updated", change("update", VS, "helloworld-mdemo-cluster1-gray-demo-vs-mesh"), true],
        ["another cluster's VirtualService", change("update", VS, "helloworld-mdemo-cluster2-gray-demo-vs"), false],
        ["a cluster whose name the wave's begins", change("update", VS, "helloworld-mdemo-cluster10-gray-demo-vs"), false],
        ["the wave's VirtualService replaced", change("replace", VS, "helloworld-mdemo-cluster1-gray-demo-vs"), false],
        ["anything else of the wave's cluster", change("update", "kubernetes:networking.istio.io/v1:DestinationRule", "helloworld-mdemo-cluster1-gray-demo-vs"), false],
    ])("%s: allowed %s", (_label, c, allowed) => {
        const config = parseReleaseConfig(devStackConfig());
        expect(onlyTheseVirtualServices(waveVirtualServiceNames(config, [C1]))(c)).toBe(allowed);
    });
});
