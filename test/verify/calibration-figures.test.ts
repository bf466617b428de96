// The figures on --max-requests live in one module; the help text and docs/verify.md's option table
// (its row for the option, as a table cell) must quote them.
import { describe, expect, it } from "vitest";
import { HELP } from "../../tools/verify/args.ts";
import { MAX_REQUESTS_NOTE } from "../../tools/verify/calibration-figures.ts";
import { readDoc, tableRows } from "../support/docs.ts";

const oneLine = (text: string) => text.replace(/\s+/g, " ");

describe("the --max-requests figures", () => {
    it("--help quotes them", () => {
        expect(oneLine(HELP)).toContain(`cap on requests (default 20000: ${MAX_REQUESTS_NOTE})`);
    });

    it("docs/verify.md's option table gives the default and quotes the same figures", () => {
        const rows = tableRows(readDoc("docs/verify.md"), "option").filter(([option]) => option === "`--max-requests`");
        expect(rows).toEqual([["`--max-requests`", "20000", MAX_REQUESTS_NOTE]]);
    });
});
