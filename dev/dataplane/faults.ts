// Faults a test sets on one version's servers, and how they are spread over its requests. Shared by
// the local data plane's workload app and the test ingress (harness/test-ingress.ts), so both
// misbehave the same way for the same setting.

/**
 * How one version's server misbehaves. Shares are spread evenly over the requests, not drawn at
 * random: a 10% share is every tenth request, so a check over 20 requests sees it every time (a
 * random draw missed all 20 one run in eight, and the test flaked).
 */
export interface Fault {
    /** Share of its requests answered 503. */
    errorRate?: number;
    /** Share of its requests answered after slowMs. */
    slowRate?: number;
    slowMs?: number;
}

/**
 * Says yes to a share of the calls, evenly spread: each call adds the share to a running total, and
 * a call that brings it to 1 is a yes and takes 1 off. A share changed mid-run carries on from the
 * total, with no burst to catch up.
 */
export function evenShare(): (share: number) => boolean {
    let total = 0;
    return (share) => {
        total += share;
        // The epsilon keeps ten additions of 0.1 (0.9999999999999999) from falling one call short.
        if (total >= 1 - 1e-9) {
            total -= 1;
            return true;
        }
        return false;
    };
}
