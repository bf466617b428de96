import { describe, expect, it } from "vitest";
import { isHttpProtocol, portProtocol, type IstioProtocol } from "../../mesh/protocols.ts";

// Each row is what istiod's kube.ConvertProtocol returns for a TCP Service port of that name.
describe.each<[string, string | undefined, IstioProtocol | undefined]>([
    ["http-5000", undefined, "http"],
    ["http", undefined, "http"],
    ["HTTP-5000", undefined, "http"],
    ["Http2-api", undefined, "http2"],
    ["grpc-web-x", undefined, "grpc-web"],
    ["GRPC-Web", undefined, "grpc-web"],
    ["grpc-webx", undefined, "grpc-web"],
    ["grpc-x", undefined, "grpc"],
    ["grpc", undefined, "grpc"],
    ["tcp-db", undefined, "tcp"],
    ["https-443", undefined, "https"],
    ["tls", undefined, "tls"],
    ["mongo-1", undefined, "mongo"],
    ["mysql", undefined, "mysql"],
    ["redis-0", undefined, "redis"],
    ["udp-dns", undefined, "udp"],
    ["http_proxy", undefined, "http_proxy"],
    ["web", undefined, undefined],
    ["httpx-1", undefined, undefined],
    ["http2x", undefined, undefined],
    ["5000-http", undefined, undefined],
    ["", undefined, undefined],
    ["web", "http", "http"],
    ["http-5000", "tcp", "tcp"],
    ["http-5000", "", "http"],
])("portProtocol(%j, appProtocol %j)", (name, appProtocol, protocol) => {
    it(`is ${String(protocol)}`, () => expect(portProtocol(name, appProtocol)).toBe(protocol));
});

describe.each<[IstioProtocol, boolean]>([
    ["http", true], ["http2", true], ["grpc", true], ["grpc-web", true], ["http_proxy", true],
    ["https", false], ["tcp", false], ["tls", false], ["mongo", false], ["mysql", false], ["redis", false], ["udp", false],
])("isHttpProtocol(%s)", (protocol, http) => {
    it(`is ${http}`, () => expect(isHttpProtocol(protocol)).toBe(http));
});
