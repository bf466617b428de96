import { describe, is } from "./lib/model.ts";
import { inCluster, type ResourceRule } from "./lib/rule.ts";
import { asArray, asString, at, isUnknown } from "./lib/values.ts";

/** Protocols Istio reads from the part of a port name before the first '-' (case-insensitive). */
export const ISTIO_PORT_PROTOCOLS: readonly string[] = [
    "http", "http2", "https", "grpc", "grpc-web", "tcp", "tls", "mongo", "mysql", "redis", "udp", "http_proxy",
];
const PREFIXES = new Set(ISTIO_PORT_PROTOCOLS.map((p) => p.split("-")[0]));

/** The protocol a port name declares to Istio, or undefined when it declares none. */
export function declaredProtocol(portName: string): string | undefined {
    const prefix = portName.split("-")[0]?.toLowerCase();
    return prefix !== undefined && PREFIXES.has(prefix) ? prefix : undefined;
}

export const istioServicePortsMustDeclareProtocol: ResourceRule = {
    scope: "resource",
    name: "istio-service-ports-must-declare-protocol",
    description: "Every Service port must be named <protocol>[-<suffix>] with a protocol Istio recognises, or set " +
        "appProtocol, so that Istio does not fall back to protocol sniffing (which breaks server-first protocols " +
        "and HTTP routing).",
    enforcementLevel: "mandatory",
    appliesTo: (object) => is(object, "", "Service"),
    check(object): string[] {
        const messages: string[] = [];
        (asArray(at(object.body, "spec", "ports")) ?? []).forEach((port, i) => {
            const name = at(port, "name");
            const appProtocol = at(port, "appProtocol");
            if (isUnknown(port) || isUnknown(name) || isUnknown(appProtocol)) {
                return;
            }
            if ((asString(appProtocol) ?? "") !== "") {
                return;
            }
            const number = at(port, "port");
            const which = typeof number === "number" ? `port ${number}` : `ports[${i}]`;
            const named = typeof name === "string" && name !== "" ? `is named '${name}', which carries no Istio protocol prefix` : "has no name";
            if (typeof name === "string" && declaredProtocol(name) !== undefined) {
                return;
            }
            messages.push(`${describe(object)} ${inCluster(object)} ${which} ${named}; it must be named ` +
                `<protocol>[-<suffix>] (${ISTIO_PORT_PROTOCOLS.join(", ")}) or set appProtocol, so that Istio knows ` +
                "its protocol instead of sniffing it.");
        });
        return messages;
    },
};
