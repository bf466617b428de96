// The grayscale release of helloworld across the mesh's clusters. Everything it does is decided by
// stack config: see README.md ("Config reference") and config/. The program itself is program.ts,
// which the rollout (tools/rollout/) runs through the Automation API.
import { enableCompileCache } from "node:module";

// Node compiles the SDKs' modules anew on every run, which was most of the program's start in a
// weight change's `pulumi up` (see bench/engine.ts). Its compile cache keeps the compiled code
// between runs (in $NODE_COMPILE_CACHE, else the system's temp folder). The program is imported
// after it is on, hence the dynamic import: static imports are compiled before this line runs.
enableCompileCache();
const { releaseProgram } = await import("./program.ts");

const release = await releaseProgram();

/** Per cluster, "Kind/name" of every object placed there. */
export const placement = release.placement;
/** The split the VirtualService applies (versions without traffic are left out). */
export const split = release.split;
/** Check the split at http://<ingress gateway address><checkPath>, e.g. with `npm run verify`. */
export const checkPath = release.checkPath;
