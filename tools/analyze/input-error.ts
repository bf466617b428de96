import { ToolError } from "../command/errors.ts";

/** Bad input: the message is one line a user can act on; the command exits 2. */
export class InputError extends ToolError {
    override name = "InputError";
}
