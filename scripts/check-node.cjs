// Whether a Node.js satisfies package.json's `engines.node`, the one statement of which Node runs this
// project: `npm run <script>` calls it first, so an old Node fails with this line instead of
// ERR_UNKNOWN_FILE_EXTENSION or a crash deep in vitest, and scripts/npm asks it whether the machine's
// Node will do. CommonJS and no dependencies: it must run on any Node, before `npm ci`.
//   node scripts/check-node.cjs            judges this Node; exit 1 with one line when too old
//   node scripts/check-node.cjs 22.18.0    judges the given version instead (silently: exit 0 or 1)
"use strict";
const path = require("path");

const range = require(path.join(__dirname, "..", "package.json")).engines.node;

function parse(version) {
    const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version);
    if (!match) {
        throw new Error("check-node: '" + version + "' is not a version x.y.z");
    }
    return match.slice(1).map(Number);
}

function compare(a, b) {
    for (let i = 0; i < 3; i++) {
        if (a[i] !== b[i]) {
            return a[i] < b[i] ? -1 : 1;
        }
    }
    return 0;
}

// The forms engines ranges use here: `^x.y.z`, `>=x.y.z`, `<x.y.z`, joined by `||` (any) and spaces (all).
// Anything else throws, so a range this cannot judge is noticed, not misread.
function satisfies(version, comparator) {
    const match = /^(\^|>=|<)(\d+\.\d+\.\d+)$/.exec(comparator);
    if (!match) {
        throw new Error("check-node: cannot read '" + comparator + "' in engines.node '" + range + "'");
    }
    const bound = parse(match[2]);
    const order = compare(version, bound);
    if (match[1] === ">=") {
        return order >= 0;
    }
    if (match[1] === "<") {
        return order < 0;
    }
    return order >= 0 && version[0] === bound[0];
}

function inRange(version) {
    return range.split("||").some((set) => set.trim().split(/\s+/).every((c) => satisfies(version, c)));
}

const given = process.argv[2];
const ok = inRange(parse(given === undefined ? process.versions.node : given));
if (!ok && given === undefined) {
    console.error("helloworld-grayscale needs Node.js " + range + " (package.json engines); this is " + process.version +
        ". Run the command through scripts/npm, which brings a Node that fits, or install Node.js 24 LTS.");
}
process.exit(ok ? 0 : 1);
