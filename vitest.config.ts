// Every test suite is a project here, run by name: `npm test` is `vitest run --project unit`, and each
// suite that needs more than Node has a script of its own (`npm run test:<project>`) and a global setup
// that builds or starts what it needs.
import { defineConfig } from "vitest/config";
import type { TestProjectInlineConfiguration, TestUserConfig } from "vitest/config";

type Settings = Omit<NonNullable<TestProjectInlineConfiguration["test"]>, "name">;

/** The suites in test/<folder> beside the unit tests, each with test/<folder>/support/global-setup.ts. */
const SUITES = ["engine", "istio", "istiod", "clusters", "traffic"];

/**
 * Two cores: one worker per core. Pulumi's mock runtime is process-global, so the unit tests run in
 * forks; the engine's and the Istio suite's files each drive CLIs of their own, side by side.
 */
const ONE_FORK_PER_CORE = { pool: "forks", maxWorkers: 2 } satisfies Settings;

const unit = {
    ...ONE_FORK_PER_CORE,
    include: ["test/**/*.test.ts"],
    exclude: [...SUITES.map((folder) => `test/${folder}/**`), "**/node_modules/**"],
    testTimeout: 30_000,
} satisfies Settings;

function project(name: string, settings: Settings): TestProjectInlineConfiguration {
    return { test: { name, ...settings } };
}

function suite(folder: string, settings: Settings): TestProjectInlineConfiguration {
    return project(folder, {
        include: [`test/${folder}/**/*.test.ts`],
        globalSetup: [`test/${folder}/support/global-setup.ts`],
        pool: "forks",
        ...settings,
    });
}

/**
 * A suite against live local clusters (scripts/clusters) that its global setup starts once for the
 * run and stops in its teardown. Files run one at a time: they share the two clusters (each file in a
 * namespace of its own), and two cores are busy enough with two API servers. A first `pulumi up`
 * against the clusters waits for Deployments and Services; a cold build of the cluster binaries takes
 * most of an hour (global setup: no timeout applies to it).
 */
function liveClustersSuite(folder: string): TestProjectInlineConfiguration {
    return suite(folder, { fileParallelism: false, testTimeout: 300_000, hookTimeout: 300_000 });
}

/** CI asks for a machine-readable report beside the usual output (VITEST_JSON_REPORT), to print the counts. */
const reporters: TestUserConfig["reporters"] = process.env.VITEST_JSON_REPORT
    ? ["default", ["json", { outputFile: process.env.VITEST_JSON_REPORT }]]
    : ["default"];

export default defineConfig({
    test: {
        reporters,
        projects: [
            project("unit", unit),
            // The unit tests once more, with corpus-recorder.ts watching: what they judge and plan becomes the
            // corpus the Istio suite validates (its global setup starts this run, with ISTIO_CORPUS_DIR set).
            // verify's tests neither judge nor plan a release (they check the split's statistics): left out
            // to save minutes.
            project("corpus", {
                ...unit,
                exclude: [...unit.exclude, "test/verify/**"],
                setupFiles: ["test/istio/support/corpus-recorder.ts"],
            }),
            // The real Pulumi engine: each file drives the CLI against its own local file backend. A
            // `pulumi up` of ten clusters takes seconds; a cold build of the engine takes minutes (global setup).
            suite("engine", { ...ONE_FORK_PER_CORE, testTimeout: 180_000, hookTimeout: 180_000 }),
            // The policy pack held against Istio's own validation, with the istioctl that scripts/istio-tools
            // builds from the Istio module (global setup; a cold build takes about half an hour, so no
            // timeout applies to it). The global setup also records the corpus (the `corpus` project).
            suite("istio", { ...ONE_FORK_PER_CORE, testTimeout: 120_000, hookTimeout: 600_000 }),
            // The real engine against live local clusters.
            liveClustersSuite("clusters"),
            // A real istiod (pilot-discovery) beside the clusters, asked over xDS what the ingress gateway
            // gets after `pulumi up` of the dev stack.
            liveClustersSuite("istiod"),
            // Requests through a real Envoy ingress gateway and Envoy sidecars, fed by a real istiod, in
            // front of the dev stack on the clusters. Needs root: the global setup starts the data plane's
            // network namespaces.
            liveClustersSuite("traffic"),
        ],
    },
});
