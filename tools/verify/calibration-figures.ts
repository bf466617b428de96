// What the default --max-requests buys, as measured by the seeded simulations `npm run bench` runs
// (4000 runs of a true 80/20 and 1000 of a true 77/23, against 80/20 at 5 pp and 95% confidence).
// The help text and the README quote this one sentence; the bench checks the figures still hold.

export const CALIBRATION = {
    /** Share of true-77/23 runs decided within the default cap, in percent. */
    decided7723Percent: 99.8,
    /** Median and 99th percentile of the requests those runs took, rounded to hundreds. */
    median7723: 2700,
    p99_7723: 14700,
    /** Median requests a true 80/20 takes to MATCH, rounded to tens. */
    median8020: 460,
} as const;

const thousands = (n: number) => n.toLocaleString("en-US").replace(/,/g, " ");

/** The sentence on --max-requests in `npm run verify --help` and in the README's option table. */
export const MAX_REQUESTS_NOTE = `a true 77/23 against 80/20 at 5 pp decides within it in ${CALIBRATION.decided7723Percent}% ` +
    `of simulated runs (median ${thousands(CALIBRATION.median7723)}, p99 ${thousands(CALIBRATION.p99_7723)}); ` +
    `a true 80/20 needs about ${CALIBRATION.median8020}`;
