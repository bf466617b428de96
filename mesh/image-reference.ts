// Container image references as the OCI distribution reference grammar defines them
// (github.com/distribution/reference, with go-digest's check of the digest), and what "pinned" means.

const ALPHA_NUMERIC = "[a-z0-9]+";
const SEPARATOR = "(?:[_.]|__|-+)";
const PATH_COMPONENT = `${ALPHA_NUMERIC}(?:${SEPARATOR}${ALPHA_NUMERIC})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const IPV6_HOST = "\\[[0-9a-fA-F:.]+\\]";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|${IPV6_HOST})(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(
    `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);

/** The reference grammar's limit on the name (domain and path). */
const NAME_MAX_LENGTH = 255;
/** Longer input cannot be a reference; refusing it early keeps the match linear. */
const INPUT_MAX_LENGTH = NAME_MAX_LENGTH + 1 + 128 + 1 + 7 + 128;

/** The digest algorithms go-digest accepts, with the length of their lower-case hex encoding. */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

export interface ImageReference {
    /** `[domain/]path`, e.g. `docker.io/istio/examples-helloworld-v1`. */
    name: string;
    tag?: string;
    /** `algorithm:hex`, e.g. `sha256:...`. */
    digest?: string;
}

/** The parts of an image reference, or undefined when the string is not one. */
export function parseImageReference(reference: string): ImageReference | undefined {
    if (reference.length > INPUT_MAX_LENGTH) {
        return undefined;
    }
    const match = REFERENCE.exec(reference);
    const [, name, tag, digest] = match ?? [];
    if (name === undefined || name.length > NAME_MAX_LENGTH || (digest !== undefined && !isValidDigest(digest))) {
        return undefined;
    }
    return { name, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

function isValidDigest(digest: string): boolean {
    const [algorithm = "", hex = ""] = digest.split(":");
    const length = DIGEST_HEX_LENGTH[algorithm];
    return length !== undefined && hex.length === length && /^[0-9a-f]+$/.test(hex);
}

/**
 * Pinned: a digest, or a tag other than `latest`, so the reference names the same image tomorrow.
 * A string that is not a reference at all (`app@sha256:latest`, `app:`) is not pinned.
 */
export function isPinnedImage(reference: string): boolean {
    const parsed = parseImageReference(reference);
    return parsed !== undefined && (parsed.digest !== undefined || (parsed.tag !== undefined && parsed.tag !== "latest"));
}
