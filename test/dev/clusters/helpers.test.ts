import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { freePorts } from "../../../dev/clusters/free-port.ts";
import { collectionPath, objectPath, pluralOf } from "../../../dev/clusters/kube-api.ts";
import { kubeconfigYaml } from "../../../dev/clusters/kubeconfig.ts";
import { clusterName, podCIDROf } from "../../../dev/clusters/local-cluster.ts";

describe("pluralOf", () => {
    it.each([
        ["Namespace", "namespaces"], ["Deployment", "deployments"], ["Service", "services"], ["Endpoints", "endpoints"],
        ["VirtualService", "virtualservices"], ["DestinationRule", "destinationrules"], ["Gateway", "gateways"],
        ["PeerAuthentication", "peerauthentications"], ["NetworkPolicy", "networkpolicies"], ["Ingress", "ingresses"],
    ])("%s -> %s", (kind, plural) => {
        expect(pluralOf(kind)).toBe(plural);
    });
});

describe("REST paths", () => {
    it.each([
        ["v1", "namespaces", undefined, "/api/v1/namespaces"],
        ["apps/v1", "deployments", "gray-demo", "/apis/apps/v1/namespaces/gray-demo/deployments"],
    ])("%s %s in %s", (apiVersion, plural, namespace, expected) => {
        expect(collectionPath(apiVersion, plural, namespace)).toBe(expected);
    });

    it("names one object", () => {
        expect(objectPath({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "vs", namespace: "ns" } }))
            .toBe("/apis/networking.istio.io/v1/namespaces/ns/virtualservices/vs");
        expect(objectPath({ apiVersion: "v1", kind: "Node", metadata: { name: "n" } })).toBe("/api/v1/nodes/n");
    });
});

describe("cluster names and pod CIDRs", () => {
    it.each([[1, "mdemo-cluster1", "10.244.1.0/24"], [2, "mdemo-cluster2", "10.244.2.0/24"], [254, "mdemo-cluster254", "10.244.254.0/24"]])(
        "cluster %i is %s with pods in %s", (index, name, cidr) => {
            expect(clusterName(index)).toBe(name);
            expect(podCIDROf(index)).toBe(cidr);
        });

    it.each([0, 255, 1.5])("refuses index %s", (index) => {
        expect(() => podCIDROf(index)).toThrow(/from 1 to 254/);
    });
});

describe("freePorts", () => {
    it("gives distinct ports", async () => {
        const ports = await freePorts(10);
        expect(new Set(ports).size).toBe(10);
        for (const port of ports) {
            expect(port).toBeGreaterThan(0);
        }
    });
});

describe("kubeconfigYaml", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hwg-kubeconfig-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("has one context named after the cluster, its current context, with the certificates embedded", () => {
        for (const [file, text] of [["ca.crt", "CA"], ["admin.crt", "CERT"], ["admin.key", "KEY"]]) {
            writeFileSync(path.join(dir, file ?? ""), text ?? "");
        }
        const config = parse(kubeconfigYaml({
            name: "mdemo-cluster1",
            server: "https://127.0.0.1:6443",
            caCert: path.join(dir, "ca.crt"),
            clientCert: path.join(dir, "admin.crt"),
            clientKey: path.join(dir, "admin.key"),
        }));
        expect(config).toEqual({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "mdemo-cluster1", cluster: { server: "https://127.0.0.1:6443", "certificate-authority-data": Buffer.from("CA").toString("base64") } }],
            users: [{ name: "mdemo-cluster1-admin", user: { "client-certificate-data": Buffer.from("CERT").toString("base64"), "client-key-data": Buffer.from("KEY").toString("base64") } }],
            contexts: [{ name: "mdemo-cluster1", context: { cluster: "mdemo-cluster1", user: "mdemo-cluster1-admin" } }],
            "current-context": "mdemo-cluster1",
        });
    });
});
