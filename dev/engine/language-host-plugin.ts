// Installs language-host.ts as the CLI's `nodejs` language plugin in a PULUMI_HOME's plugin folder
// (<home>/plugins/language-nodejs-v<sdk>/pulumi-language-nodejs), as `pulumi plugin install` would
// place a plugin it downloaded.
//
// Why there, and not on PATH or beside `pulumi` in the engine's folder: the CLI looks for a language
// plugin on PATH, then beside its own executable, then in PULUMI_HOME's plugins. One found on PATH
// but not beside `pulumi` makes every command warn "using pulumi-language-nodejs from $PATH"; one
// beside `pulumi` would be found by every user of that shared build, the engine tests among them,
// which would then stop going through program-host.ts and give the policy pack as a folder, which
// this host does not run (RunPlugin). In a PULUMI_HOME of its own it serves exactly the stacks that
// use that home, and a real CLI install still uses its own host, found first beside `pulumi`.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { version as sdkVersion } from "@pulumi/pulumi/version.js";
import { shellQuote } from "../shell-quote.ts";

const HOST = fileURLToPath(new URL("./language-host.ts", import.meta.url));

/**
 * Writes the launcher and returns its path. It runs the Node that runs this code: scripts/npm
 * picked it because it runs this project (TypeScript without a build step), which the machine's
 * `node` may not.
 */
export function installLanguageHost(pulumiHome: string): string {
    const dir = path.join(pulumiHome, "plugins", `language-nodejs-v${sdkVersion}`);
    const launcher = path.join(dir, "pulumi-language-nodejs");
    mkdirSync(dir, { recursive: true });
    writeFileSync(launcher, [
        "#!/bin/sh",
        `# This project's Node.js language host (${path.relative(path.join(HOST, "../../.."), HOST)}), written by dev/engine/language-host-plugin.ts.`,
        `exec ${shellQuote(process.execPath)} ${shellQuote(HOST)} "$@"`,
        "",
    ].join("\n"));
    chmodSync(launcher, 0o755);
    return launcher;
}
