// The stack files of the one-reading table (issue #9.4): each file, what the Pulumi CLI hands the
// program for it, and what both readings must give. The engine's strings are written out by hand
// from the CLI's rules, not computed by the code under test: a top-level scalar arrives as its text
// (YAML's quotes and types gone), a list or map as JSON with sorted map keys, a secret decrypted,
// keys as `<namespace>:<name>`, and the keys holding a secret listed. test/engine/stack-file-strings
// checks them against the real CLI.
import type { ReleaseConfig } from "../../config/index.ts";

const P = "helloworld-grayscale";

/** The dev stack's clusters and versions, in YAML and as the engine hands them over. */
const CLUSTERS_YAML = `  ${P}:app: { name: helloworld, port: 5000 }
  ${P}:clusters:
    mdemo-cluster1: { context: mdemo-cluster1, istioConfig: true }
    mdemo-cluster2: { context: mdemo-cluster2, istioConfig: true }
  ${P}:versions:
    v1: { clusters: [mdemo-cluster2], replicas: 1, image: "example/hello:1" }
    v2: { clusters: [mdemo-cluster1], image: "example/hello:2" }
`;
const CLUSTERS_ENGINE = {
    [`${P}:app`]: '{"name":"helloworld","port":5000}',
    [`${P}:clusters`]: '{"mdemo-cluster1":{"context":"mdemo-cluster1","istioConfig":true},"mdemo-cluster2":{"context":"mdemo-cluster2","istioConfig":true}}',
    [`${P}:versions`]: '{"v1":{"clusters":["mdemo-cluster2"],"image":"example/hello:1","replicas":1},"v2":{"clusters":["mdemo-cluster1"],"image":"example/hello:2"}}',
};
const WEIGHTS_YAML = `  ${P}:weights: { v1: 80, v2: 20 }\n`;
const WEIGHTS_ENGINE = { [`${P}:weights`]: '{"v1":80,"v2":20}' };
const REQUIRED_WEIGHTS = "weights: is required and missing; set it to a map of version name to weight, e.g. { v1: 80, v2: 20 }";

export interface Row {
    /** The stack file. */
    yaml: string;
    /** What the Pulumi CLI hands the program for it. */
    engine: Record<string, string>;
    secretKeys?: string[];
    /** Part of the ReleaseConfig both must give, or the problems both must report. */
    expected: { config: Partial<ReleaseConfig> } | { problems: string[] };
}

export const rows: [string, Row][] = [
    ["the dev stack", {
        yaml: `config:\n${CLUSTERS_YAML}${WEIGHTS_YAML}`,
        engine: { ...CLUSTERS_ENGINE, ...WEIGHTS_ENGINE },
        expected: { config: { namespace: "helloworld", protectNamespace: true } },
    }],
    ["a quoted numeric namespace, which is a string", {
        yaml: `config:\n${CLUSTERS_YAML}${WEIGHTS_YAML}  ${P}:namespace: "1234"\n`,
        engine: { ...CLUSTERS_ENGINE, ...WEIGHTS_ENGINE, [`${P}:namespace`]: "1234" },
        expected: { config: { namespace: "1234" } },
    }],
    ["an unquoted numeric namespace, which reaches the program as the same text", {
        yaml: `config:\n${CLUSTERS_YAML}${WEIGHTS_YAML}  ${P}:namespace: 1234\n`,
        engine: { ...CLUSTERS_ENGINE, ...WEIGHTS_ENGINE, [`${P}:namespace`]: "1234" },
        expected: { config: { namespace: "1234" } },
    }],
    ["a quoted boolean", {
        yaml: `config:\n${CLUSTERS_YAML}${WEIGHTS_YAML}  ${P}:protectNamespace: "false"\n`,
        engine: { ...CLUSTERS_ENGINE, ...WEIGHTS_ENGINE, [`${P}:protectNamespace`]: "false" },
        expected: { config: { protectNamespace: false } },
    }],
    ["an unquoted boolean", {
        yaml: `config:\n${CLUSTERS_YAML}${WEIGHTS_YAML}  ${P}:protectNamespace: false\n`,
        engine: { ...CLUSTERS_ENGINE, ...WEIGHTS_ENGINE, [`${P}:protectNamespace`]: "false" },
        expected: { config: { protectNamespace: false } },
    }],
    ["a boolean spelt as a word Pulumi does not read as one", {
        yaml: `config:\n${CLUSTERS_YAML}${WEIGHTS_YAML}  ${P}:protectNamespace: "no"\n`,
        engine: { ...CLUSTERS_ENGINE, ...WEIGHTS_ENGINE, [`${P}:protectNamespace`]: "no" },
        expected: { problems: ['protectNamespace: must be true or false (got "no")'] },
    }],
    ["keys without the project's namespace, which Pulumi gives the project's", {
        yaml: `config:\n${CLUSTERS_YAML}  weights: { v1: 80, v2: 20 }\n  namespace: canary-demo\n`,
        engine: { ...CLUSTERS_ENGINE, ...WEIGHTS_ENGINE, [`${P}:namespace`]: "canary-demo" },
        expected: { config: { namespace: "canary-demo" } },
    }],
    ["the legacy <project>:config:<key> form", {
        yaml: `config:\n${CLUSTERS_YAML}  ${P}:config:weights: { v1: 80, v2: 20 }\n`,
        engine: { ...CLUSTERS_ENGINE, ...WEIGHTS_ENGINE },
        expected: { config: { namespace: "helloworld" } },
    }],
    ["a misspelt key", {
        yaml: `config:\n${CLUSTERS_YAML}  ${P}:weight: { v1: 80, v2: 20 }\n`,
        engine: { ...CLUSTERS_ENGINE, [`${P}:weight`]: '{"v1":80,"v2":20}' },
        expected: { problems: [`${P}:weight: unknown key; did you mean ${P}:weights?`, REQUIRED_WEIGHTS] },
    }],
    ["a misspelt project namespace", {
        yaml: `config:\n${CLUSTERS_YAML}  helloworld-greyscale:weights: { v1: 80, v2: 20 }\n`,
        engine: { ...CLUSTERS_ENGINE, "helloworld-greyscale:weights": '{"v1":80,"v2":20}' },
        expected: { problems: [`helloworld-greyscale:weights: unknown key; did you mean ${P}:weights?`, REQUIRED_WEIGHTS] },
    }],
    ["another package's key, which is not the program's business", {
        yaml: `config:\n${CLUSTERS_YAML}${WEIGHTS_YAML}  kubernetes:context: somewhere\n`,
        engine: { ...CLUSTERS_ENGINE, ...WEIGHTS_ENGINE, "kubernetes:context": "somewhere" },
        expected: { config: { namespace: "helloworld" } },
    }],
    ["a quoted number inside a map, which stays a string", {
        yaml: `config:\n${CLUSTERS_YAML}  ${P}:weights: { v1: "80", v2: 20 }\n`,
        engine: { ...CLUSTERS_ENGINE, [`${P}:weights`]: '{"v1":"80","v2":20}' },
        expected: { problems: ['weights.v1: must be a whole number from 0 to 100 (got "80")'] },
    }],
    ["weights written out of order, reported in the engine's (sorted) order", {
        yaml: `config:\n${CLUSTERS_YAML}  ${P}:weights: { v2: 20, v1: 70 }\n`,
        engine: { ...CLUSTERS_ENGINE, [`${P}:weights`]: '{"v1":70,"v2":20}' },
        expected: { problems: ["weights: v1 + v2 = 90; the weights must add up to exactly 100"] },
    }],
    ["a map written as a JSON string, which the program cannot tell from a map", {
        yaml: `config:\n${CLUSTERS_YAML}  ${P}:weights: '{"v1": 80, "v2": 20}'\n`,
        engine: { ...CLUSTERS_ENGINE, [`${P}:weights`]: '{"v1": 80, "v2": 20}' },
        expected: { config: { namespace: "helloworld" } },
    }],
    ["a key with no value", {
        yaml: `config:\n${CLUSTERS_YAML}${WEIGHTS_YAML}  ${P}:namespace:\n`,
        engine: { ...CLUSTERS_ENGINE, ...WEIGHTS_ENGINE, [`${P}:namespace`]: "" },
        expected: { problems: ["namespace: has no value; give it one, or remove the key to get its default"] },
    }],
    ["a secret where Istio needs plaintext", {
        yaml: `config:\n${CLUSTERS_YAML}${WEIGHTS_YAML}  ${P}:gateway:\n    hosts:\n      - secure: AAABAJbJ2x1A\n`,
        engine: { ...CLUSTERS_ENGINE, ...WEIGHTS_ENGINE, [`${P}:gateway`]: '{"hosts":["hello.example.com"]}' },
        secretKeys: [`${P}:gateway`],
        expected: { problems: ['gateway: holds a secret (secure:) value, but Kubernetes and Istio must read it in plaintext (render would write "[secret]" in its place); set that value again without --secret'] },
    }],
    ["a kubeconfig in plaintext", {
        yaml: `config:\n  ${P}:clusters:\n    c1: { kubeconfig: "apiVersion: v1", istioConfig: true }\n  ${P}:versions:\n    v1: { clusters: [c1], image: "example/hello:1" }\n  ${P}:weights: { v1: 100 }\n  ${P}:app: { name: hello, port: 8080 }\n`,
        engine: {
            [`${P}:clusters`]: '{"c1":{"istioConfig":true,"kubeconfig":"apiVersion: v1"}}',
            [`${P}:versions`]: '{"v1":{"clusters":["c1"],"image":"example/hello:1"}}',
            [`${P}:app`]: '{"name":"hello","port":8080}',
            [`${P}:weights`]: '{"v1":100}',
        },
        expected: { problems: ["clusters.c1.kubeconfig: is in plaintext, but a kubeconfig holds credentials; store it as a secret: pulumi config set --path --secret clusters.c1.kubeconfig \"$(cat <kubeconfig file>)\""] },
    }],
    ["a kubeconfig held as a secret", {
        yaml: `config:\n  ${P}:clusters:\n    c1:\n      kubeconfig:\n        secure: AAABAJbJ2x1A\n      istioConfig: true\n  ${P}:versions:\n    v1: { clusters: [c1], image: "example/hello:1" }\n  ${P}:weights: { v1: 100 }\n  ${P}:app: { name: hello, port: 8080 }\n`,
        engine: {
            [`${P}:clusters`]: '{"c1":{"istioConfig":true,"kubeconfig":"apiVersion: v1"}}',
            [`${P}:versions`]: '{"v1":{"clusters":["c1"],"image":"example/hello:1"}}',
            [`${P}:app`]: '{"name":"hello","port":8080}',
            [`${P}:weights`]: '{"v1":100}',
        },
        secretKeys: [`${P}:clusters`],
        expected: { config: { namespace: "hello" } },
    }],
    ["a single weight that is not 100", {
        yaml: `config:\n  ${P}:clusters: { c1: { context: c1, istioConfig: true } }\n  ${P}:versions: { v1: { clusters: [c1], image: "example/hello:1" } }\n  ${P}:weights: { v1: 90 }\n  ${P}:app: { name: hello, port: 8080 }\n`,
        engine: {
            [`${P}:clusters`]: '{"c1":{"context":"c1","istioConfig":true}}',
            [`${P}:versions`]: '{"v1":{"clusters":["c1"],"image":"example/hello:1"}}',
            [`${P}:app`]: '{"name":"hello","port":8080}',
            [`${P}:weights`]: '{"v1":90}',
        },
        expected: { problems: ["weights: v1 = 90; the weights must add up to exactly 100"] },
    }],
];
