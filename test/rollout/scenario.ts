// A closed loop for the rollout, with real parts: a stack in a temporary project run by the real Pulumi
// engine in render mode, the test ingress routing by the VirtualService the provider renders, steady
// user traffic through it, and a real Prometheus scraping its Istio metrics. The rollout itself runs as
// the user runs it, `node tools/rollout.ts ... --json`, in the project folder. With waves, each config
// cluster has a test ingress of its own, as each primary has its gateway: it routes by its cluster's
// rendered VirtualService and reports its cluster as the requests' source_cluster.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parse } from "yaml";
import { PulumiWorkspace } from "../../dev/engine/workspace.ts";
import type { RolloutEvent } from "../../tools/rollout/events.ts";
import { PROJECT_DIR } from "../support/dev-stack.ts";
import { devStack } from "../engine/support/stacks.ts";
import { startPrometheus, type PrometheusServer } from "../../harness/prometheus-server.ts";
import { startTestIngress, type TestIngressOptions, type TestIngress, type Weights } from "../../harness/test-ingress.ts";

const VIRTUAL_SERVICE = "1-manifest/networking.istio.io_v1-virtualservice-gray-demo-gray-demo-vs.yaml";
const CLUSTERS = ["mdemo-cluster1", "mdemo-cluster2"];

export interface ScenarioOptions {
    engineBin: string;
    /** The weights the stack starts from (applied by a first `pulumi up`). */
    weights: Weights;
    faults?: TestIngressOptions["faults"];
    fixedWeights?: Weights;
    /** Requests per second the users send through the ingress (each gateway, with waves), all along. */
    usersPerSecond?: number;
    /** The stack's rollout.waves: then a gateway per cluster, and the rollout is given --cluster-url for each. */
    waves?: string[][];
    /** More of the stack's rollout plan (its phases: mirror, abTest). */
    rollout?: Record<string, unknown>;
    /** With waves: faults of one cluster's gateway (its path to the versions), in place of `faults`. */
    gatewayFaults?: Record<string, TestIngressOptions["faults"]>;
}

export interface RolloutRun {
    child: ChildProcess;
    /** Every event printed so far. */
    events: RolloutEvent[];
    /** Resolves when an event matching `match` has been printed. */
    waitFor(match: (event: RolloutEvent) => boolean): Promise<RolloutEvent>;
    /** Exit code (null when killed by a signal) and the whole output. */
    done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

export class RolloutScenario {
    readonly workspace: PulumiWorkspace;
    /** The ingress; with waves, mdemo-cluster1's gateway. */
    ingress!: TestIngress;
    /** With waves, each cluster's gateway; without, none. */
    readonly gateways: Record<string, TestIngress> = {};
    prometheus!: PrometheusServer;
    private users: Promise<void> | undefined;
    private stopping = false;
    private readonly runs: RolloutRun[] = [];

    private constructor(workspace: PulumiWorkspace) {
        this.workspace = workspace;
    }

    static async start(options: ScenarioOptions): Promise<RolloutScenario> {
        const config = devStack();
        config["helloworld-grayscale:weights"] = options.weights;
        if (options.waves !== undefined || options.rollout !== undefined) {
            config["helloworld-grayscale:rollout"] = { ...options.rollout, ...(options.waves === undefined ? {} : { waves: options.waves }) };
        }
        const scenario = new RolloutScenario(new PulumiWorkspace({ engineBin: options.engineBin, config, renderMode: true }));
        try {
            scenario.workspace.mustRun(["up", "--yes", "--skip-preview"]);
            const gateway = (cluster: string, faults: TestIngressOptions["faults"]) => startTestIngress({
                virtualServiceFile: path.join(scenario.workspace.renderRoot, cluster, VIRTUAL_SERVICE),
                clusters: { v1: "mdemo-cluster2", v2: "mdemo-cluster1" },
                ...(options.waves === undefined ? {} : { gatewayCluster: cluster }),
                ...(faults ? { faults } : {}),
                ...(options.fixedWeights ? { fixedWeights: options.fixedWeights } : {}),
            });
            if (options.waves === undefined) {
                scenario.ingress = await gateway("mdemo-cluster1", options.faults);
            } else {
                for (const cluster of CLUSTERS) {
                    scenario.gateways[cluster] = await gateway(cluster, options.gatewayFaults?.[cluster] ?? options.faults);
                }
                scenario.ingress = scenario.gateways["mdemo-cluster1"] as TestIngress;
            }
            const ingresses = options.waves === undefined ? [scenario.ingress] : Object.values(scenario.gateways);
            scenario.users = Promise.all(ingresses.map((ingress) => scenario.sendUsers(ingress, options.usersPerSecond ?? 80))).then(() => {});
            scenario.prometheus = await startPrometheus(ingresses.map((ingress) => new URL(ingress.metricsUrl).host));
        } catch (err) {
            await scenario.stop();
            throw err;
        }
        return scenario;
    }

    /**
     * `npm run rollout -- --stack <stack> --url <ingress> --prometheus <prometheus> --settle 100ms <args> --json`;
     * `url` replaces the ingress's, `prometheus: false` leaves --prometheus to `args`.
     */
    rollout(args: string[], options: { prometheus?: boolean; url?: string } = {}): RolloutRun {
        const gateways = Object.entries(this.gateways);
        const argv = [
            path.join(PROJECT_DIR, "tools/rollout.ts"), "--stack", this.workspace.stack,
            ...(gateways.length === 0 ? ["--url", options.url ?? this.ingress.url] : gateways.flatMap(([cluster, gateway]) => ["--cluster-url", `${cluster}=${gateway.url}`])),
            ...(options.prometheus === false ? [] : ["--prometheus", this.prometheus.url]),
            // The test ingress follows the rendered file within milliseconds; a mesh needs seconds.
            "--settle", "100ms", ...args, "--json",
        ];
        const child = spawn(process.execPath, argv, { cwd: this.workspace.dir, env: this.workspace.env, stdio: ["ignore", "pipe", "pipe"] });
        const events: RolloutEvent[] = [];
        const waiters: Array<{ match: (e: RolloutEvent) => boolean; resolve: (e: RolloutEvent) => void }> = [];
        let stdout = "";
        let stderr = "";
        let pending = "";
        child.stdout.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            pending += chunk.toString();
            let newline;
            while ((newline = pending.indexOf("\n")) >= 0) {
                const event = JSON.parse(pending.slice(0, newline)) as RolloutEvent;
                pending = pending.slice(newline + 1);
                events.push(event);
                for (const waiter of waiters.filter((w) => w.match(event))) {
                    waiters.splice(waiters.indexOf(waiter), 1);
                    waiter.resolve(event);
                }
            }
        });
        child.stderr.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
        });
        const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
            child.on("close", (code) => resolve({ code, stdout, stderr }));
        });
        const run: RolloutRun = {
            child,
            events,
            done,
            waitFor: (match) => {
                const seen = events.find(match);
                if (seen !== undefined) {
                    return Promise.resolve(seen);
                }
                return Promise.race([
                    new Promise<RolloutEvent>((resolve) => waiters.push({ match, resolve })),
                    done.then(({ code, stderr: err }) => {
                        // The last event says why (a rollback's summary); stderr, a tool error.
                        const last = events.at(-1);
                        const why = last?.event === "done" ? last.summary : JSON.stringify(last);
                        throw new Error(`the rollout exited ${code} before the awaited event: ${why}; stderr: ${err}`);
                    }),
                ]);
            },
        };
        this.runs.push(run);
        return run;
    }

    /** The weights in the stack file: the rollout's state. */
    stackWeights(): Weights {
        const settings = parse(readFileSync(this.workspace.stackFile, "utf8")) as { config: Record<string, unknown> };
        return settings.config["helloworld-grayscale:weights"] as Weights;
    }

    /** Each cluster's own weights in the stack file (clusters.<c>.weights), where it has them. */
    clusterWeights(): Record<string, Weights> {
        const settings = parse(readFileSync(this.workspace.stackFile, "utf8")) as { config: Record<string, unknown> };
        const clusters = settings.config["helloworld-grayscale:clusters"] as Record<string, { weights?: Weights }>;
        return Object.fromEntries(Object.entries(clusters).flatMap(([name, cluster]) => (cluster.weights === undefined ? [] : [[name, cluster.weights]])));
    }

    /** The stack file's routing key (undefined when it has none): the phases' state. */
    stackRouting(): unknown {
        const settings = parse(readFileSync(this.workspace.stackFile, "utf8")) as { config: Record<string, unknown> };
        return settings.config["helloworld-grayscale:routing"];
    }

    /** Per config cluster, the weighted split of the VirtualService the provider rendered: [[subset, weight], ...]. */
    renderedRoutes(): Record<string, Array<[string, number]>> {
        return Object.fromEntries(CLUSTERS.map((cluster) => {
            const split = this.renderedHttp(cluster).find((http) => http.match === undefined);
            return [cluster, (split?.route ?? []).map((r): [string, number] => [r.destination.subset, r.weight])];
        }));
    }

    /** Per config cluster, each http route of the rendered VirtualService by its name, with the subset it mirrors to. */
    renderedRouteNames(): Record<string, string[]> {
        return Object.fromEntries(CLUSTERS.map((cluster) => [cluster, this.renderedHttp(cluster).map((http) =>
            `${http.name}${http.mirror === undefined ? "" : ` (mirror to ${http.mirror.subset})`}`)]));
    }

    private renderedHttp(cluster: string) {
        const vs = parse(readFileSync(path.join(this.workspace.renderRoot, cluster, VIRTUAL_SERVICE), "utf8")) as {
            spec: { http: Array<{ name: string; match?: unknown[]; mirror?: { subset: string }; route: Array<{ destination: { subset: string }; weight: number }> }> };
        };
        return vs.spec.http;
    }

    /** Kills any rollout still running (by pid), stops the users, Prometheus and the ingress, removes the project. */
    async stop(): Promise<void> {
        this.stopping = true;
        for (const run of this.runs) {
            if (run.child.exitCode === null && run.child.signalCode === null && run.child.pid !== undefined) {
                process.kill(run.child.pid, "SIGKILL");
            }
            await run.done;
        }
        await this.users;
        await this.prometheus?.stop();
        const ingresses = Object.values(this.gateways);
        await Promise.all((ingresses.length === 0 ? [this.ingress] : ingresses).map((ingress) => ingress?.close()));
        this.workspace.remove();
    }

    /** Steady traffic, as users make it: the metrics a step is judged on come from it and from verify. */
    private async sendUsers(ingress: TestIngress, perSecond: number): Promise<void> {
        const workers = 4;
        const gap = (1000 * workers) / perSecond;
        await Promise.all(Array.from({ length: workers }, async () => {
            while (!this.stopping) {
                const started = Date.now();
                await fetch(ingress.url).then((r) => r.text(), () => "");
                await sleep(Math.max(0, gap - (Date.now() - started)));
            }
        }));
    }
}
