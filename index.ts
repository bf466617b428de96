// The grayscale release of helloworld across the mesh's clusters. Everything it does is decided by
// stack config: see README.md ("Config reference") and config/. The program itself is program.ts,
// which the rollout (tools/rollout/) runs through the Automation API.
import { releaseProgram } from "./program.ts";

const release = await releaseProgram();

/** Per cluster, "Kind/name" of every object placed there. */
export const placement = release.placement;
/** The split the VirtualService applies (versions without traffic are left out). */
export const split = release.split;
/** Check the split at http://<ingress gateway address><checkPath>, e.g. with `npm run verify`. */
export const checkPath = release.checkPath;
