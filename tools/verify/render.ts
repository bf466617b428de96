// The human-readable result: a table, a bar chart of observed shares against their tolerance bands, and
// the verdict. Plain text, so it reads the same in a terminal, a CI log and the README.
import type { ReportRow, VerifyReport } from "./report.ts";

const CHART_CELLS = 40;

export function renderReport(r: VerifyReport): string {
    const lines: string[] = [];
    lines.push(`verify ${r.url}: expected split from ${r.expectedFrom}, ±${r.tolerancePp} pp at ${r.confidence * 100}% confidence`);
    lines.push("");
    const header = ["version", "expected", "observed", "interval", "requests"];
    const body = r.rows.map((row) => [
        row.version,
        row.expected === null ? "unknown" : `${fmt(row.expected)}%`,
        `${row.observed.toFixed(1)}%`,
        `${row.interval[0].toFixed(1)}–${row.interval[1].toFixed(1)}%`,
        String(row.responses),
    ]);
    body.push(["errors", "", `${r.errors.share.toFixed(1)}%`, "", String(r.errors.total)]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("   ").trimEnd();
    lines.push(line(header), ...body.map(line));
    if (r.errors.total > 0) {
        lines.push(`  errors: ${r.errors.details.slice(0, 5).map((d) => `${d.detail} ×${d.count}`).join(", ")}`);
    }
    lines.push("");
    const nameWidth = Math.max(...r.rows.map((row) => row.version.length));
    for (const row of r.rows) {
        lines.push(`${row.version.padEnd(nameWidth)}  ${bar(row)}  ${row.observed.toFixed(1).padStart(5)}%  ${status(row)}`);
    }
    lines.push(`${"".padEnd(nameWidth)}  █ observed  ▓ observed, inside the tolerance band  ░ rest of the band`);
    lines.push("");
    lines.push(r.summary);
    lines.push(`${r.requests.sent} requests sent (${r.requests.discarded} in flight at the verdict, not counted) in ${r.seconds.toFixed(1)} s, ${r.requestsPerSecond} req/s.`);
    return `${lines.join("\n")}\n`;
}

/** 0–100% in CHART_CELLS cells; a cell is "observed" up to the observed share, "band" inside the band. */
function bar(row: ReportRow): string {
    const cellPct = 100 / CHART_CELLS;
    const filled = Math.round(row.observed / cellPct);
    let out = "";
    for (let i = 0; i < CHART_CELLS; i++) {
        const middle = (i + 0.5) * cellPct;
        const inBand = middle > row.band[0] && middle < row.band[1];
        out += i < filled ? (inBand ? "▓" : "█") : inBand ? "░" : " ";
    }
    return `|${out}|`;
}

function status(row: ReportRow): string {
    const band = `${fmt(row.band[0])}–${fmt(row.band[1])}%`;
    const label = row.expected === null ? "not in the expected split; " : "";
    switch (row.status) {
        case "within":
            return `${label}within ${band}`;
        case "outside":
            return `${label}OUTSIDE ${band}`;
        case "open":
            return `${label}undecided (${band})`;
    }
}

const fmt = (v: number) => String(Math.round(v * 100) / 100);
