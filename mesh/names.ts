// Kubernetes' rules for the names the release writes (apimachinery's validation), checked before
// the API server would refuse them halfway through an `up`.

/** The characters of a DNS-1123 label; its length is checked apart. */
export const DNS1123_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_LABEL_MAX_LENGTH = 63;

/** A DNS-1123 label: what Kubernetes demands of namespace and Service names. */
export function isDns1123Label(value: string): boolean {
    return value.length <= DNS1123_LABEL_MAX_LENGTH && DNS1123_LABEL_PATTERN.test(value);
}

export const IANA_SERVICE_NAME_MAX_LENGTH = 15;

/**
 * An IANA service name (RFC 6335, Kubernetes' IsValidPortName): at most 15 lower-case letters, digits
 * and '-', at least one letter, no '-' at either end and no "--". A port named so is valid both on a
 * Service and on a container, where Kubernetes demands exactly this form.
 */
export function isIanaServiceName(value: string): boolean {
    return value.length >= 1 && value.length <= IANA_SERVICE_NAME_MAX_LENGTH
        && /^[-a-z0-9]+$/.test(value) && /[a-z]/.test(value)
        && !value.startsWith("-") && !value.endsWith("-") && !value.includes("--");
}
