// Before the first step moves anything: the ingress and Prometheus must answer, or the rollout would
// apply a step it can never judge (the gateway serving the canary with no analysis at all) and only
// then stop. Any HTTP answer from the ingress will do (verify judges the answers); no answer, a
// refused connection or a timeout, will not. With Prometheus, the metrics source is settled here too.
import { request } from "undici";
import { PLAIN_HTTP_ANSWER } from "../verify/connection-error.ts";
import { noAnswerInWords } from "./no-answer.ts";
import { checkPrometheus, chooseMetricsSource, PrometheusError, type MetricsChoice, type MetricsChoiceGiven, type ServiceTarget } from "./prometheus.ts";

/** Something the rollout needs does not answer: nothing was changed (a tool error). */
export class PreflightError extends Error {
    override name = "PreflightError";
}

export interface PreflightSettings {
    /** Every ingress the steps verify: --url, or each cluster's gateway in a wave-by-wave rollout. */
    urls: readonly string[];
    host?: string;
    /** Per request, as verify's own. */
    timeoutMs: number;
    prometheus?: URL;
    metrics: MetricsChoiceGiven;
    service: ServiceTarget;
}

/** The metrics source with its reason (undefined without Prometheus), once everything answered. */
export async function preflight(settings: PreflightSettings): Promise<MetricsChoice | undefined> {
    const { prometheus } = settings;
    const problems = (await Promise.all([
        ...settings.urls.map((url) => ingressProblem({ ...settings, url })),
        prometheus === undefined ? undefined : checkPrometheus(prometheus).then(() => undefined, prometheusProblem),
    ])).filter((problem) => problem !== undefined);
    if (problems.length > 0) {
        throw new PreflightError(problems.join("; "));
    }
    if (prometheus === undefined) {
        return undefined;
    }
    try {
        return await chooseMetricsSource(prometheus, settings.metrics, settings.service);
    } catch (err) {
        throw new PreflightError(prometheusProblem(err));
    }
}

async function ingressProblem(settings: Pick<PreflightSettings, "host" | "timeoutMs"> & { url: string }): Promise<string | undefined> {
    let response;
    try {
        response = await request(settings.url, {
            headers: settings.host === undefined ? {} : { host: settings.host },
            headersTimeout: settings.timeoutMs,
            bodyTimeout: settings.timeoutMs,
        });
    } catch (err) {
        const words = noAnswerInWords(err, settings.timeoutMs);
        return words === PLAIN_HTTP_ANSWER ? `the ingress at ${settings.url} ${words}` : `the ingress at ${settings.url} does not answer: ${words}`;
    }
    // It answered, whatever the body does next.
    await response.body.dump().catch(() => {});
    return undefined;
}

function prometheusProblem(err: unknown): string {
    if (err instanceof PrometheusError) {
        return err.message;
    }
    throw err;
}
