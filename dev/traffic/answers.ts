// What users of the local data plane get, in lines for a person: N requests through the ingress
// gateway, the share each version got, and which pods (in which cluster) gave the answers.
import type { PodState } from "../dataplane/dataplane-files.ts";
import { burst, failures } from "./requests.ts";

export async function answerLines(url: string, count: number, pods: PodState[]): Promise<string[]> {
    const tally = await burst(url, count);
    const where = (instance: string) => {
        const pod = pods.find((p) => p.name === instance);
        return pod === undefined ? instance : `${instance} in ${pod.cluster}`;
    };
    const byVersion = [...tally.versions].sort(([a], [b]) => a.localeCompare(b)).map(([version, answers]) => {
        const instances = [...tally.instances.keys()].filter((i) => pods.find((p) => p.name === i)?.version === version);
        return `  ${version}  ${String(answers).padStart(5)}  (${(100 * answers / count).toFixed(1)}%)  from ${instances.map(where).join(", ")}`;
    });
    const failed = tally.total - [...tally.versions.values()].reduce((a, b) => a + b, 0);
    return [`${count} requests to ${url} through the ingress gateway:`, ...byVersion, `  failed ${failed}${failed === 0 ? "" : `: ${failures(tally)}`}`];
}
