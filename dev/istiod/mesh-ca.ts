// One root of trust for a multi-primary mesh, as Istio's "Plug in CA Certificates" task makes it
// (tools/certs of the Istio repository): a root CA, and per cluster an intermediate CA signed by it,
// which that cluster's istiod signs workload certificates with. Each cluster gets its intermediate as
// the Secret istio-system/cacerts; every proxy trusts the one root, so a sidecar in one cluster
// accepts the certificate a peer got from the other cluster's istiod. Made with openssl, as
// tools/certs does; RSA 2048 rather than its 4096, which takes seconds per key on 2 cores.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { KubeObject } from "../clusters/kube-api.ts";

/** The Secret istiod reads a plugged-in CA from (Istio's ca.CACertsSecret). */
export const CACERTS_SECRET = "cacerts";
/** The name istiod's own serving certificate carries, which the intermediate may sign for (tools/certs' INTERMEDIATE_SAN_DNS). */
const ISTIOD_DNS_NAME = "istiod.istio-system.svc";
const DAYS = 3650;

/** A cluster's plugged-in CA: the files of the cacerts Secret, PEM. */
export interface ClusterCa {
    /** The intermediate CA's certificate and key, which istiod signs with. */
    caCert: string;
    caKey: string;
    /** The intermediate, then the root: what istiod sends with every certificate it signs. */
    certChain: string;
    /** The mesh's one root. */
    rootCert: string;
}

/** The mesh's root: its certificate (PEM) and where its key is, to sign each cluster's intermediate. */
export interface MeshRoot {
    dir: string;
    rootCert: string;
}

function openssl(args: string[], cwd: string): void {
    const result = spawnSync("openssl", args, { cwd, encoding: "utf8" });
    if (result.error !== undefined || result.status !== 0) {
        throw new Error(`openssl ${args[0] ?? ""} failed: ${result.error?.message ?? result.stderr.trim()}`);
    }
}

const CA_USAGE = "keyUsage=critical,digitalSignature,nonRepudiation,keyEncipherment,keyCertSign";

/** Makes the root CA in `dir` (root-key.pem, root-cert.pem). */
export function createMeshRoot(dir: string): MeshRoot {
    mkdirSync(dir, { recursive: true });
    openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root-key.pem", "-out", "root-cert.pem",
        "-days", String(DAYS), "-subj", "/O=Istio/CN=Root CA",
        "-addext", "basicConstraints=critical,CA:true", "-addext", CA_USAGE], dir);
    return { dir, rootCert: readFileSync(path.join(dir, "root-cert.pem"), "utf8") };
}

/** Makes `cluster`'s intermediate CA under the root, in <root dir>/<cluster>/. */
export function createClusterCa(root: MeshRoot, cluster: string): ClusterCa {
    const dir = path.join(root.dir, cluster);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "intermediate.ext"), [
        "basicConstraints=critical,CA:true,pathlen:0",
        CA_USAGE,
        `subjectAltName=DNS:${ISTIOD_DNS_NAME}`,
        "subjectKeyIdentifier=hash",
        "authorityKeyIdentifier=keyid,issuer",
    ].join("\n"));
    openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.csr",
        "-subj", `/O=Istio/CN=Intermediate CA/L=${cluster}`], dir);
    openssl(["x509", "-req", "-in", "ca.csr", "-CA", "../root-cert.pem", "-CAkey", "../root-key.pem", "-set_serial",
        `0x${randomBytes(8).toString("hex")}`, "-days", String(DAYS), "-extfile", "intermediate.ext", "-out", "ca-cert.pem"], dir);
    const caCert = readFileSync(path.join(dir, "ca-cert.pem"), "utf8");
    return {
        caCert,
        caKey: readFileSync(path.join(dir, "ca-key.pem"), "utf8"),
        certChain: `${caCert}${root.rootCert}`,
        rootCert: root.rootCert,
    };
}

/** The cacerts Secret, as `kubectl create secret generic cacerts -n istio-system --from-file=...` makes it. */
export function cacertsSecret(ca: ClusterCa, namespace: string): KubeObject {
    const base64 = (pem: string) => Buffer.from(pem).toString("base64");
    return {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: CACERTS_SECRET, namespace },
        type: "Opaque",
        data: {
            "ca-cert.pem": base64(ca.caCert),
            "ca-key.pem": base64(ca.caKey),
            "cert-chain.pem": base64(ca.certChain),
            "root-cert.pem": base64(ca.rootCert),
        },
    };
}
