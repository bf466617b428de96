// Requests shaped as the Pulumi engine sends them to a policy pack: protobuf AnalyzeRequest and
// AnalyzeStackRequest messages, properties as a google.protobuf.Struct, unknowns and secrets as the
// engine's sentinels, round-tripped through the wire format.
import analyzerPb from "@pulumi/pulumi/proto/analyzer_pb.js";
import structPb from "google-protobuf/google/protobuf/struct_pb.js";
import type { Stack } from "./fixtures.ts";

const { AnalyzeRequest, AnalyzeStackRequest, AnalyzerProviderResource, AnalyzerResource, AnalyzerResourceOptions } = analyzerPb;
type JavaScriptValue = structPb.JavaScriptValue;

/** What the engine sends for a string it cannot know during preview. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A secret as the engine marshals it. */
export function secret(value: JavaScriptValue): JavaScriptValue {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

const STACK_URN = "urn:pulumi:dev::helloworld-grayscale";

export function providerUrn(cluster: string): string {
    return `${STACK_URN}::pulumi:providers:kubernetes::${cluster}`;
}

export function resourceUrn(cluster: string, type: string, name: string): string {
    return `${STACK_URN}::helloworld-grayscale:index:GrayscaleRelease$${type}::${cluster}-${name}`;
}

/** The Pulumi type token the Kubernetes provider gives a manifest's apiVersion and kind. */
export function typeToken(apiVersion: string, kind: string): string {
    return `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${kind}`;
}

function struct(value: unknown): structPb.Struct {
    return structPb.Struct.fromJavaScript(value as Record<string, JavaScriptValue>);
}

function provider(cluster: string): InstanceType<typeof AnalyzerProviderResource> {
    return new AnalyzerProviderResource()
        .setType("pulumi:providers:kubernetes")
        .setName(cluster)
        .setUrn(providerUrn(cluster))
        .setProperties(struct({ context: cluster, kubeconfig: secret(UNKNOWN_STRING), version: "4.34.2" }));
}

interface Described {
    type: string;
    name: string;
    urn: string;
    props: unknown;
    cluster?: string;
}

function describeManifests(stack: Stack): Described[] {
    return Object.entries(stack).flatMap(([cluster, manifests]) => manifests.map((m) => {
        const type = typeToken(m.apiVersion, m.kind);
        const name = `${m.kind.toLowerCase()}-${String(m.metadata["name"])}`;
        return { type, name: `${cluster}-${name}`, urn: resourceUrn(cluster, type, name), props: m, cluster };
    }));
}

/** One AnalyzeRequest per manifest, as `pulumi preview` sends them before each resource is created. */
export function analyzeRequests(stack: Stack): InstanceType<typeof AnalyzeRequest>[] {
    return describeManifests(stack).map((d) => {
        const request = new AnalyzeRequest()
            .setType(d.type)
            .setName(d.name)
            .setUrn(d.urn)
            .setProperties(struct(d.props))
            .setOptions(new AnalyzerResourceOptions())
            .setProvider(provider(d.cluster ?? ""));
        return AnalyzeRequest.deserializeBinary(request.serializeBinary());
    });
}

/** The AnalyzeStackRequest sent at the end of a preview: the stack, its providers and every object. */
export function analyzeStackRequest(stack: Stack): InstanceType<typeof AnalyzeStackRequest> {
    const clusters = Object.keys(stack);
    const others: Described[] = [
        { type: "pulumi:pulumi:Stack", name: "helloworld-grayscale-dev", urn: `${STACK_URN}::pulumi:pulumi:Stack::helloworld-grayscale-dev`, props: {} },
        ...clusters.map((c) => ({ type: "pulumi:providers:kubernetes", name: c, urn: providerUrn(c), props: { context: c } })),
    ];
    const resources = [...others, ...describeManifests(stack)].map((d) => {
        const resource = new AnalyzerResource()
            .setType(d.type)
            .setName(d.name)
            .setUrn(d.urn)
            .setProperties(struct(d.props))
            .setOptions(new AnalyzerResourceOptions());
        return d.cluster === undefined ? resource : resource.setProvider(provider(d.cluster));
    });
    const request = new AnalyzeStackRequest().setResourcesList(resources);
    return AnalyzeStackRequest.deserializeBinary(request.serializeBinary());
}
