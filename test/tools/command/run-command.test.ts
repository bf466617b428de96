// The shape every command shares, run in-process with its streams injected: --help, the usage error,
// the tool error and the exit-status table.
import { describe, expect, it } from "vitest";
import { ToolError, UsageError } from "../../../tools/command/errors.ts";
import { EXIT, exitStatusHelp } from "../../../tools/command/exit-codes.ts";
import { defineCommand, parseCommandLine, runCommand } from "../../../tools/command/run-command.ts";

const greet = defineCommand({
    name: "greet",
    usage: "Usage: greet --name <name> [--fail usage|tool|verdict|bug]",
    help: `  --name <name>  whom to greet\n\n${exitStatusHelp({ ok: "greeted", failed: "refused to greet", toolError: "tool error" })}`,
    flags: { name: { type: "string" }, fail: { type: "string" } },
    options({ values }) {
        if (values.name === undefined) {
            throw new UsageError("--name is required");
        }
        return { name: values.name, fail: values.fail };
    },
    run({ name, fail }, io) {
        if (fail === "usage") {
            throw new UsageError(`--name ${name}: not someone this command greets`);
        }
        if (fail === "tool") {
            throw new ToolError("the greeting service does not answer");
        }
        if (fail === "bug") {
            throw new TypeError("a bug");
        }
        io.stdout.write(`hello ${name}\n`);
        return fail === "verdict" ? EXIT.failed : EXIT.ok;
    },
});

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await runCommand(greet, argv, {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        cwd: "/",
    });
    return { code, stdout, stderr };
}

describe("runCommand", () => {
    it("runs the command with its typed options", async () => {
        expect(await run(["--name", "ada"])).toEqual({ code: 0, stdout: "hello ada\n", stderr: "" });
        expect(parseCommandLine(greet, ["--name", "ada"])).toEqual({ name: "ada", fail: undefined });
    });

    it.each([["-h"], ["--help"], ["--name", "ada", "--help"]])("%j prints the usage and the help on stdout, exit 0", async (...argv) => {
        expect(await run(argv)).toEqual({
            code: 0,
            stdout: "Usage: greet --name <name> [--fail usage|tool|verdict|bug]\n\n  --name <name>  whom to greet\n\n" +
                "Exit status: 0 greeted, 1 refused to greet, 2 tool error, 64 usage error.\n",
            stderr: "",
        });
    });

    it.each([
        [["--nme", "ada"], "greet: Unknown option '--nme'"],
        [[], "greet: --name is required"],
        [["--name", "ada", "--fail", "usage"], "greet: --name ada: not someone this command greets"],
    ])("%j: one line, the usage, exit 64", async (argv, line) => {
        expect(await run(argv)).toEqual({
            code: 64, stdout: "", stderr: `${line}\nUsage: greet --name <name> [--fail usage|tool|verdict|bug]\n--help shows every flag.\n`,
        });
    });

    it("a tool error: one line, exit 2", async () => {
        expect(await run(["--name", "ada", "--fail", "tool"])).toEqual({ code: 2, stdout: "", stderr: "greet: the greeting service does not answer\n" });
    });

    it("a failed verdict is the command's own exit 1", async () => {
        expect((await run(["--name", "ada", "--fail", "verdict"])).code).toBe(1);
    });

    it("lets anything else through: a bug is not a refusal", async () => {
        await expect(run(["--name", "ada", "--fail", "bug"])).rejects.toThrow(TypeError);
    });
});

describe("the exit-status table", () => {
    it("is 0 ok, 1 verdict failed, 2 tool error, 64 usage", () => {
        expect(EXIT).toEqual({ ok: 0, failed: 1, toolError: 2, usage: 64 });
    });

    it("leaves 1 out of the help of a command without a verdict", () => {
        expect(exitStatusHelp({ ok: "written", toolError: "tool error" })).toBe("Exit status: 0 written, 2 tool error, 64 usage error.");
    });
});
