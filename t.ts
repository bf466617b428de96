import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
const t0 = performance.now();
const seen: any[] = [];
await pulumi.runtime.setMocks({
  newResource: (a) => { seen.push(a); return { id: a.name, state: a.inputs }; },
  call: (a) => a.inputs,
}, "p", "s", false);
const N = Number(process.argv[2] ?? 10);
for (let c = 0; c < N; c++) {
  const p = new k8s.Provider(`c${c}`, { context: `c${c}` });
  new k8s.core.v1.Namespace(`ns${c}`, { metadata: { name: "gray-demo" } }, { provider: p });
  for (let v = 0; v < 10; v++) new k8s.apps.v1.Deployment(`d${c}-${v}`, { metadata: { name: `hw-${v}` }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "x", image: "y" }] } } } }, { provider: p });
  new k8s.apiextensions.CustomResource(`vs${c}`, { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "vs" }, spec: { hosts: ["*"] } }, { provider: p });
}
const t1 = performance.now();
await new Promise((r) => setTimeout(r, 0));
process.on("beforeExit", () => console.error("resources", seen.length, "ms", (performance.now() - t1).toFixed(0), (t1 - t0).toFixed(0)));
