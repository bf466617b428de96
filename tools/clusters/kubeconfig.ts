// A kubeconfig with one cluster, one admin user and one context named after the cluster, with the
// certificates embedded: the file stands alone (Istio's remote secrets carry such a kubeconfig as data).
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

export function kubeconfigYaml(args: KubeconfigArgs): string {
    const base64 = (file: string) => readFileSync(file).toString("base64");
    const user = `${args.name}-admin`;
    return stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: args.name, cluster: { server: args.server, "certificate-authority-data": base64(args.caCert) } }],
        users: [{ name: user, user: { "client-certificate-data": base64(args.clientCert), "client-key-data": base64(args.clientKey) } }],
        contexts: [{ name: args.name, context: { cluster: args.name, user } }],
        "current-context": args.name,
    });
}

export function writeKubeconfig(file: string, args: KubeconfigArgs): void {
    writeFileSync(file, kubeconfigYaml(args), { mode: 0o600 });
}
