// The engine's own record of an update (`pulumi up --event-log <file>`): one JSON event per line, in
// the order the engine began and finished each step, to check which step ran before which.
import { readFileSync } from "node:fs";

interface StepMetadata {
    op: string;
    urn: string;
}

interface EngineEvent {
    sequence: number;
    resourcePreEvent?: { metadata: StepMetadata };
    resOutputsEvent?: { metadata: StepMetadata };
}

/** One step: its operation, the resource's "<type> <name>", and when it began and ended (event order). */
export interface Step {
    op: string;
    resource: string;
    began: number;
    ended: number;
}

/** "<type> <name>" of a URN, e.g. "kubernetes:apps/v1:Deployment helloworld-mdemo-cluster2-helloworld-v1". */
export function resourceOf(urn: string): string {
    const [, , qualifiedType = "", name = ""] = urn.split("::");
    return `${qualifiedType.split("$").at(-1) ?? ""} ${name}`;
}

/** The steps that changed something (every op but "same"), from an event log file. */
export function changedSteps(file: string): Step[] {
    const events = readFileSync(file, "utf8").split("\n").filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as EngineEvent)
        .sort((a, b) => a.sequence - b.sequence);
    const steps = new Map<string, Step>();
    events.forEach((event, index) => {
        const pre = event.resourcePreEvent?.metadata;
        const done = event.resOutputsEvent?.metadata;
        if (pre && pre.op !== "same") {
            steps.set(`${pre.op} ${pre.urn}`, { op: pre.op, resource: resourceOf(pre.urn), began: index, ended: Number.POSITIVE_INFINITY });
        }
        const step = done ? steps.get(`${done.op} ${done.urn}`) : undefined;
        if (step) {
            step.ended = index;
        }
    });
    return [...steps.values()];
}
