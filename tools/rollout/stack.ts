// One stack, driven through Pulumi's Automation API with the program index.ts runs (program.ts) as an
// inline program: the config set the way `pulumi config set-all --path` sets it, and every update
// previewed first, with the policy pack, so that a step that would touch more than it may never applies.
import { performance } from "node:perf_hooks";
import { LocalWorkspace, Stack, StackNotFoundError, type EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { CONFIG_NAMESPACE } from "../../config/index.ts";
import { releaseProgram } from "../../program.ts";
import { onSearchPath, policyPackPath } from "../policy-pack-path.ts";
import type { Weights } from "./plan.ts";

/** The engine failed or refused: nothing advanced (a tool error). The message is one line. */
export class EngineError extends Error {
    override name = "EngineError";
}

/** One resource the preview would change. */
export interface Change {
    op: string;
    /** The resource's Pulumi type, e.g. kubernetes:networking.istio.io/v1:VirtualService. */
    type: string;
    urn: string;
}

/** Which changes an update may make; anything else stops it before it applies. */
export type ChangeRule = (change: Change) => boolean;

/** A weight change touches the VirtualServices' routes and nothing else. */
export const onlyVirtualServices: ChangeRule = (change) =>
    change.op === "update" && /^kubernetes:networking\.istio\.io\/[^:]+:VirtualService$/.test(change.type);

/** A wave's step touches its own clusters' VirtualServices (by their Pulumi names) and nothing else. */
export function onlyTheseVirtualServices(names: ReadonlySet<string>): ChangeRule {
    return (change) => onlyVirtualServices(change) && names.has(change.urn.split("::").at(-1) ?? "");
}

/** Retiring a version deletes its Deployments and updates the DestinationRules (its subset goes). */
export const retirementChanges: ChangeRule = (change) =>
    (change.op === "delete" && change.type === "kubernetes:apps/v1:Deployment")
    || (change.op === "update" && /^kubernetes:networking\.istio\.io\/[^:]+:DestinationRule$/.test(change.type));

/**
 * Clusters' own weights (`clusters.<c>.weights`), by cluster; null where a cluster has none and follows
 * the global `weights`.
 */
export type ClusterWeights = Record<string, Weights | null>;

/** What a wave-by-wave step writes: the global weights (when given) and clusters' own weights. */
export interface WeightsState {
    global?: Weights;
    clusters: ClusterWeights;
}

export interface UpdateTiming {
    /** `pulumi config set-all` before the update, seconds (0 when the config was not changed). */
    configSeconds: number;
    /** `pulumi preview` with the policy pack, seconds. */
    previewSeconds: number;
    /** `pulumi up` (the update itself, after the preview), seconds. */
    upSeconds: number;
    /** The resources the update changed. */
    changes: Change[];
}

export class RolloutStack {
    private readonly stack: Stack;
    private readonly policyPack: string;

    private constructor(stack: Stack, policyPack: string) {
        this.stack = stack;
        this.policyPack = policyPack;
    }

    /**
     * The stack `name` of the project in `projectDir` (its Pulumi.yaml and Pulumi.<name>.yaml). When the
     * Pulumi CLI is missing or the stack was never created, the message says what to do first.
     */
    static async open(projectDir: string, name: string): Promise<RolloutStack> {
        if (!onSearchPath("pulumi", process.env.PATH ?? "")) {
            throw new EngineError("the Pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) " +
                "or add the folder that holds `pulumi` to PATH, then run the rollout again");
        }
        try {
            // Pulumi.yaml and the stack file are read from projectDir; the program runs in this process.
            const workspace = await LocalWorkspace.create({ workDir: projectDir, program: () => Promise.resolve(releaseProgram()) });
            const stack = await Stack.select(name, workspace);
            return new RolloutStack(stack, policyPackPath(process.env.PATH ?? ""));
        } catch (err) {
            if (err instanceof StackNotFoundError) {
                throw new EngineError(`Pulumi has no stack '${name}' in the backend it is logged in to (Pulumi.${name}.yaml alone does not make one): ` +
                    `create it with \`pulumi stack init ${name}\` and deploy it with \`pulumi up\`, or \`pulumi login\` to the backend that holds it ` +
                    "(`pulumi stack ls` lists the stacks there)");
            }
            throw new EngineError(`cannot select stack '${name}': ${errorLine(err)}`);
        }
    }

    /**
     * One step: sets the weights in the stack file and updates the stack, VirtualServices only. If the
     * update does not complete, the stack file goes back to `applied`, the weights the stack runs with.
     */
    async moveWeights(weights: Weights, applied: Weights): Promise<UpdateTiming> {
        return this.writeAndUpdate(() => this.setWeights(weights), () => this.setWeights(applied), onlyVirtualServices);
    }

    /**
     * One step of a wave-by-wave rollout: writes `next` (the global weights first, then each cluster's
     * own, set or removed) and updates the stack, changing only the VirtualServices named in `touches`
     * (a wave's, see waveVirtualServiceNames) or, for the promotion, every cluster's. If the update
     * does not complete, the stack file goes back to `applied`. Writing the global weights first
     * matters when a promotion is cut between its writes: the stack file then holds the target both
     * globally and in each cluster, which a rerun reads as every wave at 100, not as a fresh start.
     */
    async moveClusterWeights(next: WeightsState, applied: WeightsState, touches: ReadonlySet<string> | "every cluster"): Promise<UpdateTiming> {
        return this.writeAndUpdate(() => this.writeWeights(next, applied), () => this.writeWeights(applied, next),
            touches === "every cluster" ? onlyVirtualServices : onlyTheseVirtualServices(touches));
    }

    /**
     * A phase of the rollout (its mirror, its testers' route) on or off: writes the whole `routing` key
     * (undefined: the key goes, as the stack had none) and updates the stack, VirtualServices only. The
     * key is written whole, with its YAML types kept (a header's value "123" stays a string), because
     * a path cannot append to or remove from the list routing.matches. If the update does not
     * complete, the stack file goes back to `applied`.
     */
    async moveRouting(next: object | undefined, applied: object | undefined): Promise<UpdateTiming> {
        return this.writeAndUpdate(() => this.writeRouting(next), () => this.writeRouting(applied), onlyVirtualServices);
    }

    /**
     * Every change's shape (a move, the retirement): `write` the stack file, update the stack with only
     * the changes `allowed` passes, and if the update does not complete, `undo` the write, so that the
     * stack file keeps saying what the stack runs with.
     */
    private async writeAndUpdate(write: () => Promise<void>, undo: () => Promise<void>, allowed: ChangeRule): Promise<UpdateTiming> {
        const started = performance.now();
        await write();
        const configSeconds = (performance.now() - started) / 1000;
        try {
            return { ...await this.update(allowed), configSeconds };
        } catch (err) {
            await undo().catch(() => {});
            throw err;
        }
    }

    private async writeRouting(routing: object | undefined): Promise<void> {
        const key = `${CONFIG_NAMESPACE}:routing`;
        try {
            if (routing === undefined) {
                await this.stack.removeConfig(key);
            } else {
                // `pulumi config --json`'s form: the value as JSON text and as the object it stands for.
                await this.stack.setAllConfigJson(JSON.stringify({ [key]: { value: JSON.stringify(routing), objectValue: routing, secret: false } }));
            }
        } catch (err) {
            throw new EngineError(`pulumi config ${routing === undefined ? "rm" : "set-all --json"} failed: ${errorLine(err)}`);
        }
    }

    /** The second `up` of the README's retirement: the version's pods and subset go. Its weight must be 0. */
    async retire(version: string): Promise<UpdateTiming> {
        const key = `versions.${version}.retired`;
        return this.writeAndUpdate(() => this.setConfig({ [key]: "true" }), () => this.stack.removeConfig(`${CONFIG_NAMESPACE}:${key}`, true), retirementChanges);
    }

    /** Sets the weights in the stack file, as `pulumi config set-all --path` does (numbers stay numbers). */
    private async setWeights(weights: Weights): Promise<void> {
        await this.setConfig(Object.fromEntries(Object.entries(weights).map(([version, weight]) => [`weights.${version}`, String(weight)])));
    }

    /** `state` into the stack file; `from` says which clusters have own weights now, to remove only those. */
    private async writeWeights(state: WeightsState, from: WeightsState): Promise<void> {
        if (state.global !== undefined) {
            await this.setWeights(state.global);
        }
        const set = Object.entries(state.clusters).flatMap(([cluster, weights]) =>
            weights === null ? [] : Object.entries(weights).map(([version, weight]): [string, string] => [configPath("clusters", cluster, "weights", version), String(weight)]));
        if (set.length > 0) {
            await this.setConfig(Object.fromEntries(set));
        }
        const remove = Object.entries(state.clusters)
            .filter(([cluster, weights]) => weights === null && (from.clusters[cluster] ?? null) !== null)
            .map(([cluster]) => `${CONFIG_NAMESPACE}:${configPath("clusters", cluster, "weights")}`);
        if (remove.length > 0) {
            try {
                await this.stack.removeAllConfig(remove, true);
            } catch (err) {
                throw new EngineError(`pulumi config rm failed: ${errorLine(err)}`);
            }
        }
    }

    private async setConfig(values: Record<string, string>): Promise<void> {
        const config = Object.fromEntries(Object.entries(values).map(([key, value]) => [`${CONFIG_NAMESPACE}:${key}`, { value }]));
        try {
            await this.stack.setAllConfig(config, true);
        } catch (err) {
            throw new EngineError(`pulumi config set-all failed: ${errorLine(err)}`);
        }
    }

    /** Previews the update with the policy pack; applies it only when every change is allowed. */
    private async update(allowed: ChangeRule): Promise<Omit<UpdateTiming, "configSeconds">> {
        const changes: Change[] = [];
        const collect = (event: EngineEvent) => {
            const step = event.resourcePreEvent?.metadata;
            if (step !== undefined && step.op !== "same") {
                changes.push({ op: step.op, type: step.type, urn: step.urn });
            }
        };
        const policyPacks = [this.policyPack];
        let started = performance.now();
        try {
            await this.stack.preview({ policyPacks, onEvent: collect });
        } catch (err) {
            throw new EngineError(`pulumi preview failed: ${errorLine(err)}`);
        }
        const previewSeconds = (performance.now() - started) / 1000;
        const refused = changes.filter((change) => !allowed(change));
        if (refused.length > 0) {
            throw new EngineError(`the preview would also ${refused.map(describeChange).join(", ")}; ` +
                "the rollout changes weights only: bring the stack up to date with `pulumi up` first");
        }
        started = performance.now();
        try {
            await this.stack.up({ policyPacks });
        } catch (err) {
            throw new EngineError(`pulumi up failed: ${errorLine(err)}`);
        }
        return { previewSeconds, upSeconds: (performance.now() - started) / 1000, changes };
    }
}

/**
 * A `--path` config key: a segment that is not a plain name (a cluster named after a kubeconfig
 * context may hold '-', '.', ':' or '/') in the path syntax's quoted brackets.
 */
export function configPath(...segments: string[]): string {
    return segments.map((segment, i) => (/^[A-Za-z0-9_]+$/.test(segment) ? `${i === 0 ? "" : "."}${segment}` : `[${JSON.stringify(segment)}]`)).join("");
}

function describeChange(change: Change): string {
    return `${change.op} ${change.type} ${change.urn.split("::").at(-1) ?? change.urn}`;
}

/**
 * The line of a CLI failure that says what went wrong: the stack lock, a mandatory policy, or the
 * CLI's own `error:` line.
 */
export function errorLine(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    const lines = text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
    const locked = lines.find((line) => line.includes("the stack is currently locked") || line.includes("Another update is currently in progress"));
    if (locked !== undefined) {
        return `another update holds the stack's lock (${locked.replace(/^error:\s*/, "")}); wait for it to finish, then rerun`;
    }
    const policy = lines.find((line) => /\[mandatory\]/.test(line));
    const error = lines.find((line) => line.startsWith("error:"));
    // The line is followed by "; ..." in the rollout's own message: its closing stop or colon goes.
    return (policy ?? error ?? lines[0] ?? "unknown error").replace(/^error:\s*/, "").replace(/\s+/g, " ").replace(/[.:]$/, "");
}
