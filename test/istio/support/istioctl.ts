// Istio's own judgement, from the istioctl that scripts/istio-tools builds: `istioctl validate`
// (what Istio's admission webhook runs) per object, and `istioctl analyze --use-kube=false` per
// cluster of a stack.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

export interface Verdict {
    valid: boolean;
    /** istioctl's message when it rejects the object. */
    message: string;
}

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

function run(bin: string, args: string[]): Promise<Run> {
    return new Promise((resolve) => {
        execFile(join(bin, "istioctl"), args, { encoding: "utf8", maxBuffer: 64 << 20, timeout: 120_000 }, (error, stdout, stderr) => {
            const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
            resolve({ code, stdout, stderr });
        });
    });
}

/** Runs `work` over `items` with at most `limit` at once (two cores: istioctl is CPU-bound while it starts). */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await work(items[i] as T, i);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

/** `istioctl validate -f <one object>` for each object: exit 0 is valid, anything else a rejection. */
export async function validateEach(bin: string, objects: readonly unknown[], concurrency = 2): Promise<Verdict[]> {
    const dir = mkdtempSync(join(tmpdir(), "istioctl-validate-"));
    try {
        return await mapLimited(objects, concurrency, async (object, i) => {
            const file = join(dir, `${i}.yaml`);
            writeFileSync(file, stringify(object));
            const result = await run(bin, ["validate", "-f", file]);
            const message = result.stderr.trim().replace(/^Error: /, "").replace(/\s+/g, " ");
            return { valid: result.code === 0, message: result.code === 0 ? "" : message };
        });
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** One message of `istioctl analyze -o json`. */
export interface AnalyzeMessage {
    code: string;
    level: "Error" | "Warning" | "Info";
    origin: string;
    message: string;
}

/** `istioctl analyze --use-kube=false -A` over one cluster's objects, as JSON messages. */
export async function analyzeEach(bin: string, clusters: readonly (readonly unknown[])[], concurrency = 2): Promise<AnalyzeMessage[][]> {
    const dir = mkdtempSync(join(tmpdir(), "istioctl-analyze-"));
    try {
        return await mapLimited(clusters, concurrency, async (objects, i) => {
            const file = join(dir, `${i}.yaml`);
            writeFileSync(file, objects.map((o) => `---\n${stringify(o)}`).join(""));
            const result = await run(bin, ["analyze", "--use-kube=false", "-A", "-o", "json", file]);
            // Exit 0: nothing at or above the failure threshold; 79 (Istio's "analyzer found issues"): some.
            if (result.code !== 0 && result.code !== 79) {
                throw new Error(`istioctl analyze failed (exit ${result.code}): ${result.stderr}`);
            }
            return parseMessages(result.stdout);
        });
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

function parseMessages(stdout: string): AnalyzeMessage[] {
    let json: unknown;
    try {
        json = JSON.parse(stdout.trim() === "" ? "[]" : stdout);
    } catch (err) {
        throw new Error(`istioctl analyze printed no JSON: ${(err as Error).message}\n${stdout.slice(0, 2000)}`, { cause: err });
    }
    const parsed = json as { code: string; level: string; origin: string; message: string }[];
    return parsed.map((m) => ({ code: m.code, level: m.level as AnalyzeMessage["level"], origin: m.origin, message: m.message }));
}
