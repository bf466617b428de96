// The multi-primary mesh's CA (dev/istiod/mesh-ca.ts): one root, an intermediate per cluster signed
// by it, each plugged in as istio-system/cacerts. What istiod and every proxy rely on: each
// intermediate is a CA that can sign only leaves, chains to the one root, and holds its own key.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacertsSecret, type ClusterCa, createClusterCa, createMeshRoot, type MeshRoot } from "../../../dev/istiod/mesh-ca.ts";

let dir: string;
let root: MeshRoot;
let cas: ClusterCa[];

beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "hwg-mesh-ca-"));
    root = createMeshRoot(dir);
    cas = ["mdemo-cluster1", "mdemo-cluster2"].map((cluster) => createClusterCa(root, cluster));
});

afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
});

describe("the mesh's CA", () => {
    it("makes a self-signed root CA", () => {
        const cert = new X509Certificate(root.rootCert);
        expect(cert.ca).toBe(true);
        expect(cert.verify(cert.publicKey)).toBe(true);
        expect(cert.subject).toContain("CN=Root CA");
    });

    it("makes each cluster an intermediate CA of its own, signed by the root, for istiod's name", () => {
        const rootCert = new X509Certificate(root.rootCert);
        const [first, second] = cas.map((ca) => new X509Certificate(ca.caCert));
        for (const [cluster, cert] of [["mdemo-cluster1", first], ["mdemo-cluster2", second]] as const) {
            expect(cert?.ca, cluster).toBe(true);
            expect(cert?.checkIssued(rootCert), cluster).toBe(true);
            expect(cert?.verify(rootCert.publicKey), cluster).toBe(true);
            expect(cert?.subject, cluster).toContain(`L=${cluster}`);
            expect(cert?.subjectAltName, cluster).toBe("DNS:istiod.istio-system.svc");
        }
        expect(first?.serialNumber).not.toBe(second?.serialNumber);
        expect(first?.publicKey.export({ type: "spki", format: "pem" })).not.toBe(second?.publicKey.export({ type: "spki", format: "pem" }));
    });

    it("gives each intermediate its key, its chain to the root, and the root", () => {
        for (const ca of cas) {
            expect(new X509Certificate(ca.caCert).checkPrivateKey(createPrivateKey(ca.caKey))).toBe(true);
            expect(ca.certChain).toBe(`${ca.caCert}${root.rootCert}`);
            expect(ca.rootCert).toBe(root.rootCert);
        }
    });

    it("plugs an intermediate in as the Secret istiod reads, with the four files Istio names", () => {
        const [ca] = cas;
        if (ca === undefined) {
            throw new Error("no cluster CA");
        }
        const secret = cacertsSecret(ca, "istio-system");
        expect(secret.metadata).toEqual({ name: "cacerts", namespace: "istio-system" });
        const data = secret["data"] as Record<string, string>;
        expect(Object.keys(data).sort()).toEqual(["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"]);
        expect(Buffer.from(data["cert-chain.pem"] ?? "", "base64").toString()).toBe(ca.certChain);
    });
});
