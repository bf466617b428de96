/** The Pulumi project name: every key this program reads lives under `helloworld-grayscale:`. */
export const CONFIG_NAMESPACE = "helloworld-grayscale";
