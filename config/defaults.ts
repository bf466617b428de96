// The values a stack gets for what it leaves out.

/** Images of Istio's helloworld sample, pinned, from the mirror the seed scenario uses. */
export const DEFAULT_IMAGES: Readonly<Record<string, string>> = {
    v1: "docker.m.daocloud.io/istio/examples-helloworld-v1:1.0",
    v2: "docker.m.daocloud.io/istio/examples-helloworld-v2:1.0",
};

/** Sized for the sample, whose /hello burns CPU on every call. */
export const DEFAULT_RESOURCES = {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "1", memory: "256Mi" },
};
