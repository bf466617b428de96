// Paths into the v1 Deployment of the dev fixture, shared by the four workload policy tests.
export const pod = ["spec", "template", "spec"] as const;
export const container = [...pod, "containers", 0] as const;
export const WHO = "Deployment gray-demo/helloworld-v1 in cluster mdemo-cluster2";
