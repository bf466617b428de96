// The export lines scripts/clusters, istiod and dataplane print for eval.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { clusterVariable, shellQuote } from "../../dev/shell-quote.ts";

describe.each([
    { name: "ISTIOD_XDS", cluster: "mdemo-cluster2", variable: "ISTIOD_XDS_MDEMO_CLUSTER2" },
    { name: "INGRESS", cluster: "mdemo-cluster1", variable: "INGRESS_MDEMO_CLUSTER1" },
    { name: "INGRESS", cluster: "east.prod-1", variable: "INGRESS_EAST_PROD_1" },
])("clusterVariable($name, $cluster)", ({ name, cluster, variable }) => {
    it(`is ${variable}, a name the shell takes`, () => {
        expect(clusterVariable(name, cluster)).toBe(variable);
        const shell = spawnSync("bash", ["-c", `export ${variable}=${shellQuote("10.244.1.1:8080")}; printenv ${variable}`], { encoding: "utf8" });
        expect(shell.stdout).toBe("10.244.1.1:8080\n");
    });
});
