// Stack config for the Kubernetes provider's render mode: each cluster's provider writes YAML into a
// directory instead of talking to a cluster, so the real engine runs where no cluster exists.
import path from "node:path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE } from "../../config/index.ts";

const CLUSTERS_KEY = `${CONFIG_NAMESPACE}:clusters`;

/** The `config:` map of a stack file's text, keys as written (`helloworld-grayscale:clusters`, ...). */
export function stackFileConfig(text: string): Record<string, unknown> {
    return (parse(text) as { config: Record<string, unknown> }).config;
}

/** `config` with every cluster's credentials replaced by renderYamlToDirectory `<root>/<cluster>`. */
export function renderModeConfig(config: Record<string, unknown>, root: string): Record<string, unknown> {
    const clusters = Object.fromEntries(Object.entries((config[CLUSTERS_KEY] ?? {}) as Record<string, Record<string, unknown>>)
        .map(([name, cluster]) => {
            const rendered: Record<string, unknown> = { ...cluster, renderYamlToDirectory: path.join(root, name) };
            delete rendered.context;
            delete rendered.kubeconfig;
            return [name, rendered];
        }));
    return { ...config, [CLUSTERS_KEY]: clusters };
}
