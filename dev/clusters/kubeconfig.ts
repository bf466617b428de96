// Kubeconfigs of the local clusters: per cluster one admin user and one context named after the
// cluster, with the certificates embedded, so a file stands alone (Istio's remote secrets carry such
// a kubeconfig as data).
import { readFileSync, writeFileSync } from "node:fs";
import { stringify } from "yaml";

export interface KubeconfigArgs {
    /** The context's name, also used for the cluster entry; the user is `<name>-admin`. */
    name: string;
    server: string;
    caCert: string;
    clientCert: string;
    clientKey: string;
}

/**
 * One kubeconfig holding every cluster's context; the current context is the first one. A single
 * file, because the Kubernetes provider takes $KUBECONFIG as one path (a `a:b` list fails to parse).
 */
export function kubeconfigYaml(...all: KubeconfigArgs[]): string {
    const base64 = (file: string) => readFileSync(file).toString("base64");
    const user = (args: KubeconfigArgs) => `${args.name}-admin`;
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: all.map((args) => ({ name: args.name, cluster: { server: args.server, "certificate-authority-data": base64(args.caCert) } })),
        users: all.map((args) => ({ name: user(args), user: { "client-certificate-data": base64(args.clientCert), "client-key-data": base64(args.clientKey) } })),
        contexts: all.map((args) => ({ name: args.name, context: { cluster: args.name, user: user(args) } })),
        "current-context": all[0]?.name ?? "",
    });
}

export function writeKubeconfig(file: string, ...all: KubeconfigArgs[]): void {
    writeFileSync(file, kubeconfigYaml(...all), { mode: 0o600 });
}
