// `npm run analyze -- <files or directories>`: see tools/analyze/main.ts.
import { runMain } from "./command/run-command.ts";
import { analyzeCommand } from "./analyze/main.ts";

await runMain(analyzeCommand);
