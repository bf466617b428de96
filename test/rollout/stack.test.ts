// What the rollout says when `pulumi preview` or `up` fails: the one line of the CLI's output that says
// why, fit to be followed by "; the stack stays at ...".
import { describe, expect, it } from "vitest";
import { unreachableMessage } from "../../components/cluster-reachability.ts";
import { errorLine } from "../../tools/rollout/stack.ts";

/** A failed command as the Automation API reports it: its exit code and the CLI's output. */
function commandError(stderr: string): Error {
    return new Error(`code: 255\n stdout: Previewing update (engine):\n\n stderr:\n${stderr}\n`);
}

describe("errorLine", () => {
    it("names the unreachable cluster, which the program's message gives in its first line", () => {
        const message = unreachableMessage([
            { name: "mdemo-cluster2", via: "context mdemo-cluster2", server: "https://127.0.0.1:16444", reason: "connect ECONNREFUSED 127.0.0.1:16444" },
        ]);
        const diagnostics = `Diagnostics:\n  pulumi:pulumi:Stack (helloworld-grayscale-engine):\n${`error: ${message}`.split("\n").map((line) => `    ${line}`).join("\n")}`;
        expect(errorLine(commandError(diagnostics))).toBe('Cluster "mdemo-cluster2" is unreachable; nothing was changed in any cluster');
    });

    it.each([
        ["the CLI's error line, without its closing colon", "error: preview failed:", "preview failed"],
        ["a mandatory policy, before the error line", "    kubernetes-x [mandatory] must pin images\nerror: preview failed", "kubernetes-x [mandatory] must pin images"],
        ["the stack's lock", "error: the stack is currently locked by 1 lock(s).", "another update holds the stack's lock (the stack is currently locked by 1 lock(s).); wait for it to finish, then rerun"],
    ])("%s", (_label, stderr, line) => {
        expect(errorLine(commandError(stderr))).toBe(line);
    });
});
