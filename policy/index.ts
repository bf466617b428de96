// `pulumi preview|up --policy-pack policy` runs this file. Constructing a PolicyPack starts its gRPC
// server, so nothing but this file constructs one.
//
// Why a dynamic import: Pulumi's policy runner (@pulumi/pulumi/cmd/run-policy-pack) always compiles
// and type-checks the entry file with ts-node, whatever PulumiPolicy.yaml says, and TypeScript rejects
// a static `./x.ts` import unless allowImportingTsExtensions is on, which ts-node cannot emit with.
// Loading the pack by URL leaves every other module to Node's own loader (type stripping); the
// type-only import keeps this file type-checked.
import { PolicyPack } from "@pulumi/policy";
import type * as Pack from "./policies.ts";

// A computed specifier types as Promise<any>; the type-only import above says what it loads.
const pack = import(new URL("./policies.ts", import.meta.url).href) as Promise<typeof Pack>;
void pack.then(({ PACK_NAME, policies }) => new PolicyPack(PACK_NAME, { policies }));
