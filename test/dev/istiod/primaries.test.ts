// Which istiod programs a cluster's proxies (dev/istiod/primaries.ts): a primary's own, and for a
// cluster with none (a remote cluster of a primary-remote mesh) the first primary's.
import { describe, expect, it } from "vitest";
import type { IstiodInfo } from "../../../dev/istiod/istiod.ts";
import { istiodOf } from "../../../dev/istiod/primaries.ts";

function istiod(clusterId: string): IstiodInfo {
    return {
        clusterId, remoteClusterIds: [], xds: "", secureXds: "", meshConfig: "", http: "", rootCert: "",
        process: { name: "istiod", pid: 0, log: "", command: [] },
    };
}

const BOTH = [istiod("mdemo-cluster1"), istiod("mdemo-cluster2")];

describe.each([
    { istiods: BOTH, cluster: "mdemo-cluster1", programmedBy: "mdemo-cluster1" },
    { istiods: BOTH, cluster: "mdemo-cluster2", programmedBy: "mdemo-cluster2" },
    { istiods: [istiod("mdemo-cluster1")], cluster: "mdemo-cluster2", programmedBy: "mdemo-cluster1" },
    { istiods: BOTH, cluster: "mdemo-cluster3", programmedBy: "mdemo-cluster1" },
])("istiodOf($cluster) with primaries $istiods.length", ({ istiods, cluster, programmedBy }) => {
    it(`is ${programmedBy}'s istiod`, () => {
        expect(istiodOf(istiods, cluster).clusterId).toBe(programmedBy);
    });
});

describe("istiodOf with no istiod", () => {
    it("says none runs", () => {
        expect(() => istiodOf([], "mdemo-cluster1")).toThrow("no istiod runs");
    });
});
