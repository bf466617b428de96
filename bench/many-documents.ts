// One YAML file of many small, distinct documents, as a cluster dump or a chart's output gives them:
// per app a Service, a ServiceAccount, a ConfigMap and a Deployment, ten apps to a namespace labelled
// for injection, every object compliant so that the run measures reading and judging, not printing.
const PER_APP = 4;
const APPS_PER_NAMESPACE = 10;

function app(i: number, namespace: string): string[] {
    const name = `app-${i}`;
    return [
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  selector:\n    app: ${name}\n` +
        "  ports:\n    - name: http\n      port: 8080\n",
        `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  LOG_LEVEL: info\n`,
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n` +
        `  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n` +
        `        app: ${name}\n        version: v1\n    spec:\n      serviceAccountName: ${name}\n` +
        "      securityContext:\n        runAsNonRoot: true\n      containers:\n" +
        `        - name: ${name}\n          image: example.org/${name}:1.0\n          resources:\n` +
        "            requests: {cpu: 10m, memory: 32Mi}\n            limits: {cpu: 100m, memory: 64Mi}\n",
    ];
}

/** Exactly `count` documents (namespaces included), as one multi-document YAML text. */
export function manyDocuments(count: number): string {
    const docs: string[] = [];
    for (let i = 0; docs.length < count; i++) {
        const namespace = `team-${Math.floor(i / APPS_PER_NAMESPACE)}`;
        if (i % APPS_PER_NAMESPACE === 0) {
            docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n  labels:\n    istio-injection: enabled\n`);
        }
        docs.push(...app(i, namespace).slice(0, Math.max(0, Math.min(PER_APP, count - docs.length))));
    }
    return docs.slice(0, count).map((d) => `---\n${d}`).join("");
}
