import { describe, expect, it } from "vitest";
import { hostMatches, resolveGatewayRef, resolveHost, unexpandedServiceForm } from "../../../policy/lib/hosts.ts";

describe("resolveHost (Istio's ResolveShortnameToFQDN)", () => {
    it.each([
        ["helloworld", "gray-demo", "helloworld.gray-demo.svc.cluster.local"],
        ["helloworld", "other", "helloworld.other.svc.cluster.local"],
        ["helloworld.gray-demo", "other", "helloworld.gray-demo"],
        ["helloworld.gray-demo.svc.cluster.local", "other", "helloworld.gray-demo.svc.cluster.local"],
        ["*", "gray-demo", "*"],
        ["*.example.com", "gray-demo", "*.example.com"],
        ["10.0.0.1", "gray-demo", "10.0.0.1"],
    ])("reads %s in namespace %s as %s", (host, namespace, expected) => {
        expect(resolveHost(host, namespace)).toBe(expected);
    });
});

describe("unexpandedServiceForm", () => {
    it.each([
        ["helloworld.gray-demo", { name: "helloworld", namespace: "gray-demo" }],
        ["helloworld.gray-demo.svc", { name: "helloworld", namespace: "gray-demo" }],
        ["helloworld.gray-demo.svc.cluster.local", undefined],
        ["api.example.com", undefined],
        ["helloworld", undefined],
    ])("reads %s as %j", (host, expected) => {
        expect(unexpandedServiceForm(host)).toEqual(expected);
    });
});

describe("hostMatches", () => {
    it.each([
        ["*", "anything.example.com", true],
        ["*.example.com", "api.example.com", true],
        ["*.example.com", "a.b.example.com", true],
        ["*.example.com", "example.com", false],
        ["api.example.com", "api.example.com", true],
        ["api.example.com", "web.example.com", false],
    ])("%s covers %s: %s", (pattern, host, expected) => {
        expect(hostMatches(pattern, host)).toBe(expected);
    });
});

describe("resolveGatewayRef", () => {
    it.each([
        ["gray-demo-gateway", "gray-demo", "gray-demo/gray-demo-gateway"],
        ["istio-system/public", "gray-demo", "istio-system/public"],
        ["public.istio-system.svc.cluster.local", "gray-demo", "istio-system/public"],
    ])("reads %s from namespace %s as %s", (ref, namespace, expected) => {
        expect(resolveGatewayRef(ref, namespace)).toBe(expected);
    });
});
