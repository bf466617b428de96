// The Node SDK exports isConfigSecret at run time (pulumi.Config uses it to warn about secrets read
// as plaintext) but marks it @internal, so its published types leave it out. It is the only way a
// program learns which keys the engine marked secret.
import "@pulumi/pulumi/runtime/config.js";

declare module "@pulumi/pulumi/runtime/config.js" {
    export function isConfigSecret(key: string): boolean;
}
