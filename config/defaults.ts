// The values a version gets for what it leaves out, when no rule ties them to another key.

/** A small HTTP service's requests and limits; every version should state its own. */
export const DEFAULT_RESOURCES = {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "1", memory: "256Mi" },
};
