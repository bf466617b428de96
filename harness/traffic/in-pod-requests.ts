// Run by meshRequests() and meshBurst() (mesh-client.ts) inside a client pod's network namespace,
// where istio-iptables sends its connections to the pod's sidecar: sends the requests and prints
// what they got as JSON.
// Usage: node harness/traffic/in-pod-requests.ts '<InPodRequests as JSON>'
import { request } from "undici";
import { burst } from "../../dev/traffic/requests.ts";
import { type InPodRequests, type MeshAnswer, tallyToJson } from "./mesh-client.ts";

const args = JSON.parse(process.argv[2] ?? "") as InPodRequests;
if (args.kind === "burst") {
    process.stdout.write(`${JSON.stringify(tallyToJson(await burst(args.url, args.count, args.concurrency, args.headers)))}\n`);
} else {
    const answers: MeshAnswer[] = [];
    for (let i = 0; i < args.count; i++) {
        const res = await request(args.url, { headers: args.headers, headersTimeout: 10_000, bodyTimeout: 10_000 });
        answers.push({ status: res.statusCode, body: await res.body.text() });
    }
    process.stdout.write(`${JSON.stringify(answers)}\n`);
}
