import { describe, expect, it } from "vitest";
import { istioServicePortsMustDeclareProtocol as rule } from "../../policy/istio-service-ports-must-declare-protocol.ts";
import { UNKNOWN } from "../../policy/lib/values.ts";
import { C1, devStack, find, messages, set, type Stack } from "./fixtures.ts";

const svc = (stack: Stack) => find(stack, C1, "Service", "helloworld");

describe("istio-service-ports-must-declare-protocol", () => {
    it("passes a port named http-5000", () => {
        expect(messages(rule, devStack())).toEqual([]);
    });

    it("fails a port name without a protocol prefix", () => {
        const stack = devStack();
        set(svc(stack), ["spec", "ports", 0, "name"], "web");
        expect(messages(rule, stack)).toEqual([
            "Service gray-demo/helloworld in cluster mdemo-cluster1 port 5000 is named 'web', which carries no Istio protocol " +
            "prefix; it must be named <protocol>[-<suffix>] (http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis, " +
            "udp, http_proxy) or set appProtocol, so that Istio knows its protocol instead of sniffing it.",
        ]);
    });

    it("fails an unnamed port", () => {
        const stack = devStack();
        set(svc(stack), ["spec", "ports", 0, "name"], undefined);
        expect(messages(rule, stack)).toEqual([expect.stringContaining("port 5000 has no name; it must be named")]);
    });

    it("passes an unprefixed port that sets appProtocol", () => {
        const stack = devStack();
        set(svc(stack), ["spec", "ports", 0, "name"], "web");
        set(svc(stack), ["spec", "ports", 0, "appProtocol"], "http");
        expect(messages(rule, stack)).toEqual([]);
    });

    it.each([["the port list", ["spec", "ports"]], ["the port name", ["spec", "ports", 0, "name"]]] as const)(
        "does not judge %s while it is unknown during preview", (_what, path) => {
            const stack = devStack();
            set(svc(stack), ["spec", "ports", 0, "name"], "web");
            set(svc(stack), [...path], UNKNOWN);
            expect(messages(rule, stack)).toEqual([]);
        },
    );
});
