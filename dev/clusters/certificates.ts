// The credentials of one local cluster, made with openssl at start: a CA, the API server's serving
// certificate, an admin client certificate (group system:masters, which RBAC lets do anything) and the
// key pair that signs service-account tokens. Nothing is reused between clusters or runs.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface ClusterCertificates {
    /** PEM files. */
    caCert: string;
    serverCert: string;
    serverKey: string;
    adminCert: string;
    adminKey: string;
    serviceAccountKey: string;
    serviceAccountPublicKey: string;
}

/** The names and addresses the serving certificate is valid for: loopback, and the in-cluster names. */
export const SERVER_ALT_NAMES = [
    "DNS:localhost",
    "DNS:kubernetes",
    "DNS:kubernetes.default",
    "DNS:kubernetes.default.svc",
    "DNS:kubernetes.default.svc.cluster.local",
    "IP:127.0.0.1",
];

/** ECDSA P-256 keys: Kubernetes takes them for TLS and for service-account tokens (ES256), and openssl makes one in milliseconds where RSA takes seconds on a busy machine. */
function newKey(file: string, cwd: string): void {
    openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file], cwd);
}

function openssl(args: string[], cwd: string): void {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** A key and a certificate signed by the CA in `dir`; `extensions` is an openssl extension section. */
function signedCertificate(dir: string, name: string, subject: string, extensions: string): void {
    const extFile = path.join(dir, `${name}.ext`);
    writeFileSync(extFile, extensions);
    newKey(`${name}.key`, dir);
    openssl(["req", "-new", "-key", `${name}.key`, "-subj", subject, "-out", `${name}.csr`], dir);
    openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "30", "-sha256", "-extfile", extFile, "-out", `${name}.crt`], dir);
}

/** Writes a fresh set into `dir` (created) and returns the file paths. */
export function makeCertificates(dir: string, clusterName: string): ClusterCertificates {
    mkdirSync(dir, { recursive: true });
    newKey("ca.key", dir);
    openssl(["req", "-x509", "-new", "-key", "ca.key", "-sha256", "-days", "30", "-subj", `/CN=${clusterName}-ca`,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-out", "ca.crt"], dir);
    signedCertificate(dir, "apiserver", "/CN=kube-apiserver", [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        "extendedKeyUsage=serverAuth",
        `subjectAltName=${SERVER_ALT_NAMES.join(",")}`,
        "",
    ].join("\n"));
    signedCertificate(dir, "admin", "/O=system:masters/CN=admin", [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        "extendedKeyUsage=clientAuth",
        "",
    ].join("\n"));
    newKey("service-account.key", dir);
    openssl(["pkey", "-in", "service-account.key", "-pubout", "-out", "service-account.pub"], dir);
    const file = (name: string) => path.join(dir, name);
    return {
        caCert: file("ca.crt"),
        serverCert: file("apiserver.crt"),
        serverKey: file("apiserver.key"),
        adminCert: file("admin.crt"),
        adminKey: file("admin.key"),
        serviceAccountKey: file("service-account.key"),
        serviceAccountPublicKey: file("service-account.pub"),
    };
}
