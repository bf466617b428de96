// The API versions an Istio object may have been written with by an earlier `pulumi up` of the same
// stack: every version of its API group that the config allows (`istioApiVersion`). The component
// turns them into aliases, so that switching versions updates the objects in place.
import { ISTIO_API_VERSIONS } from "../mesh/api-versions.ts";

const ALLOWED = [...new Set<string>([...Object.keys(ISTIO_API_VERSIONS), ...Object.values(ISTIO_API_VERSIONS)])].sort();

/** The other allowed API versions of `apiVersion`'s group, e.g. v1beta1 and v1alpha3 for networking.istio.io/v1. */
export function otherApiVersions(apiVersion: string): string[] {
    const group = apiVersion.split("/")[0];
    return ALLOWED.filter((v) => v !== apiVersion && v.split("/")[0] === group);
}
