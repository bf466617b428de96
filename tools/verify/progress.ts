// A live progress line on a terminal (stderr), redrawn at most every 100 ms; silent when not a TTY.
import type { SplitDecision } from "./decision.ts";

export interface ProgressStream {
    write(text: string): unknown;
    isTTY?: boolean;
}

export function startProgress(stream: ProgressStream, decision: SplitDecision, maxRequests: number): () => void {
    if (stream.isTTY !== true) {
        return () => {};
    }
    const started = Date.now();
    const draw = () => {
        const n = decision.attempts;
        const width = 24;
        const done = Math.min(width, Math.round((n / maxRequests) * width));
        const shares = [...decision.versionCounts].sort((a, b) => b[1] - a[1]).slice(0, 4)
            .map(([v, x]) => `${v} ${((100 * x) / Math.max(1, decision.observations)).toFixed(1)}%`).join(" ");
        const rate = Math.round(n / Math.max(0.001, (Date.now() - started) / 1000));
        stream.write(`\r\x1b[K[${"█".repeat(done)}${"·".repeat(width - done)}] ${n}/${maxRequests}  ${shares}  errors ${decision.errors}  ${rate} req/s`);
    };
    const timer = setInterval(draw, 100);
    return () => {
        clearInterval(timer);
        stream.write("\r\x1b[K");
    };
}
