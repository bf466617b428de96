// `npm run verify`: does the ingress really serve the stack's split? See tools/verify/ and the README.
import { runVerify } from "./verify/main.ts";

const { exitCode } = await runVerify(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    projectDir: process.cwd(),
});
process.exitCode = exitCode;
