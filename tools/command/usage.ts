// Help texts: a long line broken the same way in every command's --help.

const WIDTH = 105;

/** Breaks one help line at spaces into lines of at most 105 characters, continued at column `indent`. */
export function wrapHelpLine(line: string, indent: number): string {
    const lines = [""];
    for (const word of line.split(/(?<=\S) /)) {
        const last = lines[lines.length - 1] ?? "";
        if (last.trim() !== "" && last.length + 1 + word.length > WIDTH) {
            lines.push(`${" ".repeat(indent)}${word}`);
        } else {
            lines[lines.length - 1] = last === "" ? word : `${last} ${word}`;
        }
    }
    return lines.join("\n");
}
