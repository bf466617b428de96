// Which values may be Pulumi secrets. A secret reaches the objects the release writes as "[secret]"
// (in render), or as plaintext in resource inputs that Kubernetes and Istio must read; only a
// cluster's kubeconfig is a credential, and that one must be secret.
//
// The engine tells a program only which top-level keys hold a secret somewhere inside, so the rules
// are stated per key: what `pulumi up` can check is what render checks.
import type { ConfigProblem } from "./problems.ts";
import type { RawConfig } from "./schema.ts";

/** The only key that may hold a secret: its kubeconfigs. */
const KEY_WITH_CREDENTIALS = "clusters";

/** Keys that hold a secret but must not; their values are not checked further (render sees only a placeholder). */
export function misplacedSecrets(secretKeys: ReadonlySet<string>): ConfigProblem[] {
    return [...secretKeys].filter((key) => key !== KEY_WITH_CREDENTIALS).sort().map((key) => ({
        path: key,
        message: "holds a secret (secure:) value, but Kubernetes and Istio must read it in plaintext " +
            "(render would write \"[secret]\" in its place); set that value again without --secret",
    }));
}

/** Kubeconfigs given in plaintext, with the command that stores each as a secret. */
export function plaintextKubeconfigs(cfg: Partial<RawConfig>, secretKeys: ReadonlySet<string>): ConfigProblem[] {
    if (secretKeys.has(KEY_WITH_CREDENTIALS)) {
        return [];
    }
    return Object.entries(cfg.clusters ?? {}).filter(([, cluster]) => cluster.kubeconfig !== undefined).map(([name]) => ({
        path: `clusters.${name}.kubeconfig`,
        message: "is in plaintext, but a kubeconfig holds credentials; store it as a secret: " +
            `pulumi config set --path --secret clusters.${name}.kubeconfig "$(cat <kubeconfig file>)"`,
    }));
}
