import { ISTIO_PROTOCOLS, portProtocol } from "../mesh/protocols.ts";
import { describe, is } from "./lib/model.ts";
import { inCluster, type ResourceRule } from "./lib/rule.ts";
import { asArray, asString, at, isUnknown } from "./lib/values.ts";

export const istioServicePortsMustDeclareProtocol: ResourceRule = {
    scope: "resource",
    name: "istio-service-ports-must-declare-protocol",
    description: "Every port of a Service in a mesh namespace must be named <protocol>[-<suffix>] with a protocol Istio recognises, or set " +
        "appProtocol, so that Istio does not fall back to protocol sniffing (which breaks server-first protocols " +
        "and HTTP routing).",
    enforcementLevel: "mandatory",
    meshOnly: true,
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
            if (typeof name === "string" && portProtocol(name) !== undefined) {
                return;
            }
            messages.push(`${describe(object)} ${inCluster(object)} ${which} ${named}; it must be named ` +
                `<protocol>[-<suffix>] (${ISTIO_PROTOCOLS.join(", ")}) or set appProtocol, so that Istio knows ` +
                "its protocol instead of sniffing it.");
        });
        return messages;
    },
};
