import { describe, expect, it } from "vitest";
import { appliesToMesh, gatewayHostProblem, serviceFqdn } from "../../mesh/hosts.ts";

it("serviceFqdn builds <name>.<namespace>.svc.cluster.local", () => {
    expect(serviceFqdn("helloworld", "gray-demo")).toBe("helloworld.gray-demo.svc.cluster.local");
});

// Accepted and rejected as Istio's Gateway validation does.
describe.each([
    "*", "example.com", "hello.example.com", "*.example.com", "example.com.", "10.0.0.1",
    "gray-demo/hello.example.com", "*/hello.example.com", "./*.example.com", "ns/*",
])("gatewayHostProblem(%j)", (host) => {
    it("accepts it", () => expect(gatewayHostProblem(host)).toBeUndefined());
});

describe.each([
    ["", "is empty"],
    ["helloworld", "'helloworld' is a short name, which Istio does not accept as a Gateway host"],
    ["*example.com", "'*example.com' has a partial wildcard (only a whole first label may be *)"],
    ["hello.*.com", "'hello.*.com' has a partial wildcard (only a whole first label may be *)"],
    ["Hello.Example.com", "'Hello.Example.com' has label 'Hello', which is not a DNS-1123 label (lower-case letters, digits and '-')"],
    ["hello_world.example.com", "'hello_world.example.com' has label 'hello_world', which is not a DNS-1123 label (lower-case letters, digits and '-')"],
    ["example.123", "'example.123' ends in an all-numeric label, which is neither a domain nor an IP address"],
    ["a..b", "'a..b' has label '', which is not a DNS-1123 label (lower-case letters, digits and '-')"],
    ["/hello.example.com", "neither the namespace nor the host of namespace/host may be empty"],
    ["ns/", "neither the namespace nor the host of namespace/host may be empty"],
    ["Gray_Demo/hello.example.com", "'Gray_Demo' is not a namespace: use *, . or a DNS-1123 label"],
    ["ns/hello", "'hello' is a short name, which Istio does not accept as a Gateway host"],
])("gatewayHostProblem(%j)", (host, problem) => {
    it("names the problem", () => expect(gatewayHostProblem(host)).toBe(problem));
});

// As Istio's VirtualService validation decides whether the sidecars are bound (and host '*' refused).
describe.each([
    [[], true], [["mesh"], true], [["gray-demo-gateway", "mesh"], true],
    [["gray-demo-gateway"], false], [["istio-system/public", "gray-demo/gray-demo-gateway"], false],
])("appliesToMesh(%j)", (gateways, expected) => {
    it(`is ${expected}`, () => expect(appliesToMesh(gateways)).toBe(expected));
});
