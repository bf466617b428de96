// `npm run verify`: does the ingress really serve the stack's split? See tools/verify/ and the README.
import { runMain } from "./command/run-command.ts";
import { verifyCommand } from "./verify/main.ts";

await runMain(verifyCommand);
