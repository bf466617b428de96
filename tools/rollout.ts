// `npm run rollout`: move traffic to a version step by step, each step a `pulumi up` proven by verify and
// Prometheus, rolled back on its own when a step fails. See tools/rollout/ and the README.
import { processIO, runMain } from "./command/run-command.ts";
import { rolloutCommand } from "./rollout/main.ts";

// Ctrl-C (or a runner's SIGTERM) never cuts an update in half: the rollout stops at the next safe point.
const interrupted = new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
});

await runMain(rolloutCommand, { ...processIO(), interrupted });
process.exit();
