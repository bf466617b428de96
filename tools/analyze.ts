// `npm run analyze -- <files or directories>`: see tools/analyze/main.ts.
import { main } from "./analyze/main.ts";

process.exitCode = main(process.argv.slice(2), {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
});
