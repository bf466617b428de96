// `npm run analyze` as a user runs it: a subprocess over YAML files, judged by exit code and output.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { C1, C2, deployment, devStack, find, set, type Stack } from "../policy/fixtures.ts";
import { PROJECT_DIR } from "../support/dev-stack.ts";
import { runTool } from "../support/run-tool.ts";
import { effectiveLevel } from "../../policy/lib/rule.ts";
import { rules } from "../../policy/rules.ts";
import { parsePolicySettings } from "../../tools/analyze/settings.ts";
import { RENDER_MARKER } from "../../tools/render/marker.ts";

const scratch = mkdtempSync(join(tmpdir(), "analyze-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let dirs = 0;
/**
 * Writes each cluster's manifests to <dir>/<cluster>.yaml, with render's marker as `npm run render` writes
 * them unless `marked` is false, plus extra files.
 */
function writeStack(stack: Stack, extra: Record<string, string> = {}, marked = true): string {
    const dir = join(scratch, `stack-${++dirs}`);
    mkdirSync(dir);
    for (const [cluster, manifests] of Object.entries(stack)) {
        const header = `${marked ? `${RENDER_MARKER}\n` : ""}# ${cluster}\n`;
        writeFileSync(join(dir, `${cluster}.yaml`), `${header}${manifests.map((m) => `---\n${stringify(m)}`).join("")}`);
    }
    for (const [name, text] of Object.entries(extra)) {
        writeFileSync(join(dir, name), text);
    }
    return dir;
}

const analyze = (...args: string[]) => runTool("analyze", args);

/** Templates as a Helm chart's templates/ folder holds them, before `helm template` renders them. */
const HELM_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "chart.fullname" . }}
  labels:
    {{- include "chart.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
`;
const HELM_SERVICE = `apiVersion: v1
kind: ServiceAccount
metadata: {name: chart}
---
apiVersion: v1
kind: Service
metadata: {name: chart}
spec:
  ports:
    - port: {{ .Values.service.port }}
      name: http
`;
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

describe("npm run analyze", () => {
    it("is clean for what `npm run render` writes for the dev stack", () => {
        const out = join(scratch, "rendered");
        const render = runTool("render", ["--out", out]);
        expect(render.status, render.stderr).toBe(0);
        const run = analyze(out);
        expect({ status: run.status, stdout: lines(run.stdout), stderr: run.stderr }).toEqual({
            status: 0,
            stdout: ["16 objects in 2 clusters checked against 15 policies: 0 mandatory, 0 advisory. OK: no mandatory policy is violated."],
            stderr: "",
        });
    });

    it("prints one line per finding and exits 1 on a mandatory violation; other kinds pass through", () => {
        const stack = devStack();
        set(find(stack, C1, "DestinationRule", "helloworld"), ["spec", "subsets", 1, "trafficPolicy", "tls", "mode"], "SIMPLE");
        set(find(stack, C2, "Deployment", "helloworld-v1"), ["spec", "template", "spec", "containers", 0, "image"], "helloworld:latest");
        stack[C1]?.push({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "gray-demo" }, data: { a: "b" } });
        const run = analyze(writeStack(stack));
        expect(run.status).toBe(1);
        expect(lines(run.stdout)).toEqual([
            "mandatory  istio-destinationrule-requires-istio-mutual  mdemo-cluster1  DestinationRule/gray-demo/helloworld  " +
            "DestinationRule gray-demo/helloworld in cluster mdemo-cluster1 overrides TLS in subset \"v2\" with tls.mode SIMPLE; " +
            "every subset that sets TLS must use ISTIO_MUTUAL (SIMPLE presents no client certificate, so STRICT peers reject it " +
            "and the caller has no mesh identity).",
            "advisory  kubernetes-workload-requires-pinned-images  mdemo-cluster2  Deployment/gray-demo/helloworld-v1  " +
            "Deployment gray-demo/helloworld-v1 in cluster mdemo-cluster2 container 'helloworld' (containers[0]) has image " +
            "'helloworld:latest', which is not pinned; it must name an explicit tag other than latest, or a digest.",
            "15 objects in 2 clusters checked against 15 policies: 1 mandatory, 1 advisory. FAIL: a mandatory policy is violated.",
        ]);
    });

    it("exits 0 when only advisory policies are violated, and 1 once config makes them mandatory", () => {
        const stack = devStack();
        set(find(stack, C2, "Deployment", "helloworld-v1"), ["spec", "template", "spec", "containers", 0, "image"], "helloworld");
        const dir = writeStack(stack, { "policy-config.json": JSON.stringify({ "kubernetes-workload-requires-pinned-images": "mandatory" }) });
        const advisory = analyze(join(dir, `${C1}.yaml`), join(dir, `${C2}.yaml`));
        expect([advisory.status, lines(advisory.stdout).at(-1)]).toEqual([0, expect.stringContaining("0 mandatory, 1 advisory. OK")]);
        const mandatory = analyze("--policy-config", join(dir, "policy-config.json"), join(dir, `${C1}.yaml`), join(dir, `${C2}.yaml`));
        expect([mandatory.status, lines(mandatory.stdout)[0]]).toEqual([1, expect.stringMatching(/^mandatory {2}kubernetes-workload-requires-pinned-images {2}mdemo-cluster2 /)]);
    });

    it("takes each rendered file's base name as its cluster, so a version placed in one cluster serves subsets in all", () => {
        // Merging both files into one cluster must not change the verdict on cross-cluster subsets either.
        const stack = devStack();
        stack[C2] = [...(stack[C2] ?? []), deployment("v3")];
        const dir = writeStack(stack);
        const split = analyze(dir);
        expect([split.status, lines(split.stdout).at(-1)]).toEqual([0, expect.stringContaining("15 objects in 2 clusters ")]);
        const merged = analyze("--cluster", "one", dir);
        expect([merged.status, lines(merged.stdout).at(-1)]).toEqual([0, expect.stringContaining("15 objects in 1 cluster ")]);
    });

    it("reads files without render's marker as one cluster, unless --cluster-from-filename splits them", () => {
        const stack = devStack();
        set(find(stack, C1, "DestinationRule", "helloworld"), ["spec", "subsets", 1, "trafficPolicy", "tls", "mode"], "SIMPLE");
        const dir = writeStack(stack, {}, false);
        const one = analyze(dir);
        expect([one.status, lines(one.stdout)[0], lines(one.stdout).at(-1)]).toEqual([1,
            expect.stringMatching(/^mandatory {2}istio-destinationrule-requires-istio-mutual {2}\(one cluster\) {2}DestinationRule\/gray-demo\/helloworld {2}DestinationRule gray-demo\/helloworld in cluster \(one cluster\) overrides TLS/),
            expect.stringContaining("14 objects in 1 cluster ")]);
        const split = analyze("--cluster-from-filename", dir);
        expect([split.status, lines(split.stdout).at(-1)]).toEqual([1, expect.stringContaining("14 objects in 2 clusters ")]);
    });

    it("reads a rendered folder with a file of the user's own beside it as one cluster", () => {
        const dir = writeStack(devStack(), { "extra.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: gray-demo}\n" });
        const run = analyze(dir);
        expect([run.status, lines(run.stdout).at(-1)]).toEqual([expect.any(Number), expect.stringContaining("15 objects in 1 cluster ")]);
    });

    it("runs the README example: PeerAuthentication left out is advisory, mandatory with policy/policy-config.strict.json", () => {
        const stackFile = join(scratch, "Pulumi.nopa.yaml");
        writeFileSync(stackFile, readFileSync(join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")
            .replace(/^config:$/m, "config:\n  helloworld-grayscale:peerAuthentication: none"));
        const out = join(scratch, "nopa");
        expect(runTool("render", ["--config-file", stackFile, "--out", out]).status).toBe(0);
        const advisory = analyze(out);
        const strict = analyze("--policy-config", join(PROJECT_DIR, "policy", "policy-config.strict.json"), out);
        const levels = (stdout: string) => lines(stdout).slice(0, -1).map((l) => l.split("  ").slice(0, 3).join(" "));
        expect([advisory.status, levels(advisory.stdout), strict.status, levels(strict.stdout)]).toEqual([
            0, ["advisory istio-peerauthentication-must-be-strict mdemo-cluster1", "advisory istio-peerauthentication-must-be-strict mdemo-cluster2"],
            1, ["mandatory istio-peerauthentication-must-be-strict mdemo-cluster1", "mandatory istio-peerauthentication-must-be-strict mdemo-cluster2"],
        ]);
    });

    it.each([
        ["bad YAML", { "c.yaml": "apiVersion: v1\nkind: [Namespace\n" }, /^analyze: [^\n]*c\.yaml: invalid YAML at line 3: [^\n]*[^:]\n$/],
        ["a document that is not a Kubernetes object", { "c.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nname: just-a-map\n" },
            /^analyze: .*c\.yaml \(document 2, line 5\) has no apiVersion or kind, so it is not a Kubernetes object\n$/],
        ["a directory without YAML", { "notes.txt": "hello" }, /^analyze: .* holds no \.yaml or \.yml files\n$/],
        ["a Helm template whose expressions break the YAML", { "deployment.yaml": HELM_DEPLOYMENT },
            /^analyze: [^\n]*deployment\.yaml \(document 1, line 4\) is an unrendered Helm template \(name: \{\{ include "chart\.fullname" \. \}\}\); render the chart first \(helm template <release> <chart>\) and analyze its output\.\n$/],
        ["a Helm template that still parses as YAML (no Node warning may leak)", { "service.yaml": HELM_SERVICE },
            /^analyze: [^\n]*service\.yaml \(document 2, line 10\) is an unrendered Helm template \(- port: \{\{ \.Values\.service\.port \}\}\); render the chart first [^\n]*\n$/],
        ["a Helm template quoted in a name", { "sa.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: \"{{ .Release.Name }}\"\n" },
            /^analyze: [^\n]*sa\.yaml \(document 1, line 1\) is an unrendered Helm template \(metadata\.name: "\{\{ \.Release\.Name \}\}"\); [^\n]*\n$/],
        ["an object without a name", { "c.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {namespace: a}\n" },
            /^analyze: [^\n]*c\.yaml \(document 2, line 5\) is a Deployment without metadata\.name; a Kubernetes object must be named in metadata\.name\n$/],
        ["an object with only generateName", { "c.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: migrate-}\n" },
            /^analyze: [^\n]*c\.yaml \(document 1, line 1\) is a Job without metadata\.name \(generateName "migrate-" is not enough for kubectl apply\); /],
        ["a config that names no policy of the pack", { "c.yaml": "", "cfg.json": "{\"no-such-policy\": \"mandatory\"}" },
            /^analyze: .*cfg\.json: "no-such-policy" is not a policy of this pack; use one of istio-destinationrule-requires-istio-mutual, /],
    ])("exits 2 with a clear message on %s", (_what, files, message) => {
        const dir = writeStack({}, files);
        const args = "cfg.json" in files ? ["--policy-config", join(dir, "cfg.json"), dir] : [dir];
        const run = analyze(...args);
        expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 2, stdout: "", stderr: expect.stringMatching(message) });
    });

    it("reads Go template text inside rendered values as data (alert annotations, ConfigMaps)", () => {
        const dir = writeStack({}, { "alerts.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: alerts, namespace: monitoring}\n" +
            "data:\n  summary: \"Instance {{ $labels.instance }} is down\"\n  body: |\n    {{ range .Alerts }}{{ .Annotations.summary }}{{ end }}\n" });
        const run = analyze(dir);
        expect([run.status, run.stderr, lines(run.stdout).at(-1)]).toEqual([0, "", expect.stringContaining("1 object in 1 cluster ")]);
    });

    it("exits 2 on a path that does not exist", () => {
        const missing = analyze(join(scratch, "no-such-dir"));
        expect([missing.status, missing.stderr]).toEqual([2, expect.stringMatching(/^analyze: cannot read .*no-such-dir: no such file or directory\n$/)]);
    });

    it.each([
        ["no path at all", [], "analyze: name at least one file or directory of YAML manifests\nUsage: "],
        ["an unknown option", ["--clusters", "a", "rendered"], "analyze: Unknown option '--clusters'"],
        ["both ways of assigning clusters", ["--cluster", "a", "--cluster-from-filename", "rendered"], "analyze: --cluster and --cluster-from-filename exclude each other; pass one\n"],
    ])("exits 64 (usage error, as render and verify do) on %s", (_what, args, message) => {
        const run = analyze(...args);
        expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 64, stdout: "", stderr: expect.stringContaining(message) });
    });
});

describe("policy config files (the format of pulumi --policy-pack-config)", () => {
    const levels = (raw: unknown) => {
        const settings = parsePolicySettings(raw, rules, "config.json");
        return Object.fromEntries(rules.map((r) => [r.name, effectiveLevel(r, settings[r.name])]));
    };

    it.each([
        ["a level by name", { "istio-peerauthentication-must-be-strict": "mandatory" }, "istio-peerauthentication-must-be-strict", "mandatory"],
        ["an object with enforcementLevel", { "istio-service-ports-must-declare-protocol": { enforcementLevel: "advisory" } }, "istio-service-ports-must-declare-protocol", "advisory"],
        ["all", { all: "disabled" }, "istio-destinationrule-requires-istio-mutual", "disabled"],
        ["all, then one policy", { all: "disabled", "istio-destinationrule-requires-istio-mutual": "mandatory" }, "istio-destinationrule-requires-istio-mutual", "mandatory"],
        ["remediate, which no rule can do", { "kubernetes-workload-must-run-as-non-root": "remediate" }, "kubernetes-workload-must-run-as-non-root", "mandatory"],
    ])("reads %s", (_what, raw, policy, level) => {
        expect(levels(raw)[policy]).toBe(level);
    });

    it.each([
        [[], "config.json: must be a JSON object of policy names to levels or settings"],
        [{ all: "fatal" }, "config.json: \"all\" must be one of advisory, mandatory, remediate, disabled"],
        [{ "istio-service-ports-must-declare-protocol": 3 }, "must be a level (advisory, mandatory, remediate, disabled) or an object of settings"],
        [{ "istio-service-ports-must-declare-protocol": { enforcementLevel: "loud" } }, ".enforcementLevel must be one of"],
        [{ "istio-service-ports-must-declare-protocol": { exemptHosts: [] } }, "\"istio-service-ports-must-declare-protocol\".exemptHosts is not a setting of this policy; it has none"],
        [{ "istio-destinationrule-requires-istio-mutual": { exemptHost: [] } }, ".exemptHost is not a setting of this policy; use exemptHosts"],
        [{ "istio-destinationrule-requires-istio-mutual": { exemptHosts: "*.example.com" } }, ".exemptHosts must be a list of strings"],
        [{ "istio-peerauthentication-must-be-strict": { rootNamespace: 1 } }, ".rootNamespace must be a string"],
    ])("rejects %j", (raw, message) => {
        expect(() => parsePolicySettings(raw, rules, "config.json")).toThrow(message);
    });
});
