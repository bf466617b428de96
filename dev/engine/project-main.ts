// The program a Pulumi project runs: `main` in its Pulumi.yaml, or index.ts when unset (the
// Node.js runtime's default for a project like this one, whose package.json names no entry point).
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

/** `main` of `<projectDir>/Pulumi.yaml`, relative to the project directory. */
export function projectMain(projectDir: string): string {
    const project = parse(readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { main?: unknown };
    return typeof project.main === "string" && project.main !== "" ? project.main : "index.ts";
}
