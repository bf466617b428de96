// The figures on --max-requests live in one module; the help text and the README must quote them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HELP } from "../../tools/verify/args.ts";
import { MAX_REQUESTS_NOTE } from "../../tools/verify/calibration-figures.ts";
import { PROJECT_DIR } from "../support/dev-stack.ts";

const oneLine = (text: string) => text.replace(/\s+/g, " ");

describe("the --max-requests figures", () => {
    it("--help quotes them", () => {
        expect(oneLine(HELP)).toContain(`cap on requests (default 20000: ${MAX_REQUESTS_NOTE})`);
    });

    it("the README's option table quotes the same sentence", () => {
        const readme = readFileSync(join(PROJECT_DIR, "README.md"), "utf8");
        expect(readme).toContain(`| \`--max-requests\` | 20000 | ${MAX_REQUESTS_NOTE} |`);
    });
});
