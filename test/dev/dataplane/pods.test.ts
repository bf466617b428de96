// Which pods the local data plane runs, and as what: the injector's and the kubelet's rules.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../dev/clusters/kube-api.ts";
import { dataPlanePods, podKey } from "../../../dev/dataplane/pods.ts";

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } };
}

interface PodChange {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    phase?: string;
    podIP?: string | undefined;
    deletionTimestamp?: string;
    env?: { name: string; value: string }[];
    serviceAccountName?: string;
}

function pod(name: string, ns: string, change: PodChange = {}): KubeObject {
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
            name, namespace: ns, uid: `uid-${name}`,
            labels: change.labels ?? { app: "helloworld", version: "v1" },
            ...(change.annotations === undefined ? {} : { annotations: change.annotations }),
            ...(change.deletionTimestamp === undefined ? {} : { deletionTimestamp: change.deletionTimestamp }),
            ownerReferences: [{ kind: "ReplicaSet", name: "helloworld-v1-7d9f8c6b5" }],
        },
        spec: {
            ...(change.serviceAccountName === undefined ? {} : { serviceAccountName: change.serviceAccountName }),
            containers: [{ env: change.env ?? [{ name: "SERVICE_VERSION", value: "v1" }], ports: [{ containerPort: 5000 }] }],
        },
        status: { phase: change.phase ?? "Running", ...("podIP" in change ? (change.podIP === undefined ? {} : { podIP: change.podIP }) : { podIP: "10.244.2.4" }) },
    };
}

const MESH = [namespace("gray-demo", { "istio-injection": "enabled" }), namespace("plain"), namespace("istio-system")];

describe("dataPlanePods", () => {
    it("runs a pod of an injected namespace with a sidecar and its app, named after its Deployment", () => {
        expect(dataPlanePods("mdemo-cluster2", MESH, [pod("helloworld-v1-7d9f8c6b5-abcde", "gray-demo")])).toEqual([{
            cluster: "mdemo-cluster2", namespace: "gray-demo", name: "helloworld-v1-7d9f8c6b5-abcde", uid: "uid-helloworld-v1-7d9f8c6b5-abcde",
            ip: "10.244.2.4", serviceAccount: "default", labels: { app: "helloworld", version: "v1" },
            workload: "helloworld-v1", role: "sidecar", app: { version: "v1", port: 5000 },
        }]);
    });

    it("runs a pod labelled istio=ingressgateway as a gateway, with no app, whatever its namespace", () => {
        const [gateway] = dataPlanePods("mdemo-cluster1", MESH, [pod("gw", "istio-system", {
            labels: { istio: "ingressgateway", "sidecar.istio.io/inject": "false" }, serviceAccountName: "istio-ingressgateway",
        })]);
        expect(gateway).toMatchObject({ role: "gateway", serviceAccount: "istio-ingressgateway" });
        expect(gateway?.app).toBeUndefined();
    });

    it("takes the revision label as injection too", () => {
        const revisioned = [namespace("canary", { "istio.io/rev": "canary" })];
        expect(dataPlanePods("c", revisioned, [pod("p", "canary")]).map((p) => p.role)).toEqual(["sidecar"]);
    });

    it.each<[string, KubeObject]>([
        ["a namespace without injection", pod("p", "plain")],
        ["istio-injection=disabled", pod("p", "off")],
        ["a pod that opts out by label", pod("p", "gray-demo", { labels: { "sidecar.istio.io/inject": "false" } })],
        ["a pod that opts out by annotation", pod("p", "gray-demo", { annotations: { "sidecar.istio.io/inject": "false" } })],
        ["a pod not Running yet", pod("p", "gray-demo", { phase: "Pending" })],
        ["a pod without an IP", pod("p", "gray-demo", { podIP: undefined })],
        ["a pod being deleted", pod("p", "gray-demo", { deletionTimestamp: "2026-12-05T20:00:00Z" })],
    ])("leaves out %s", (_, leftOut) => {
        expect(dataPlanePods("c", [...MESH, namespace("off", { "istio-injection": "disabled" })], [leftOut])).toEqual([]);
    });

    it("takes the version from the pod's label when its container has no SERVICE_VERSION", () => {
        expect(dataPlanePods("c", MESH, [pod("p", "gray-demo", { env: [] })])[0]?.app).toEqual({ version: "v1", port: 5000 });
    });

    it("keys a pod by its uid as well: a pod made again under the same name is another pod", () => {
        const [first] = dataPlanePods("c", MESH, [pod("p", "gray-demo")]);
        expect(first && podKey(first)).toBe("c/gray-demo/p/uid-p");
        expect(first && podKey({ ...first, uid: "other" })).not.toBe(first && podKey(first));
    });
});
