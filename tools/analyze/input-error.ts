/** Bad input: the message is one line a user can act on; the CLI exits 2. */
export class InputError extends Error {
    override name = "InputError";
}
