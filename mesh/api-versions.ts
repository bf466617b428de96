// The Istio APIs the release can write its objects with.

/** Networking API versions Istio serves, and the security API version that ships beside each. */
export const ISTIO_API_VERSIONS = {
    "networking.istio.io/v1": "security.istio.io/v1",
    "networking.istio.io/v1beta1": "security.istio.io/v1beta1",
    "networking.istio.io/v1alpha3": "security.istio.io/v1beta1",
} as const;
export type IstioApiVersion = keyof typeof ISTIO_API_VERSIONS;
export type SecurityApiVersion = (typeof ISTIO_API_VERSIONS)[IstioApiVersion];
