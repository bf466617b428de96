// `npm run sample-server`: a stand-in for the ingress in front of Istio's helloworld sample, on this
// machine only, so that `npm run verify` can be tried (and its verdicts seen) without a mesh.
import { flagParser } from "../tools/flag-parser.ts";
import { startSampleServer } from "./sample-server/server.ts";
import { UsageError } from "../tools/verify/args.ts";
import { parseExpect } from "../tools/verify/expected.ts";

const USAGE = `Usage: npm run sample-server -- --split v1=80,v2=20 [--port <n>] [--error-rate <r>]

Answers GET /hello on 127.0.0.1 the way Istio's helloworld sample does ("Hello version: v1, ..."),
each request from a version drawn at random by the split, until stopped with Ctrl-C.

  --split <v=pct,...>   the versions and their percentages, adding up to 100 (required)
  --port <n>            the port on 127.0.0.1 (default: a free one)
  --error-rate <r>      the share of requests answered with HTTP 503, from 0 up to 1 (default 0)
  -h, --help            show this help`;

const EXIT_USAGE = 64;
const EXIT_CANNOT_LISTEN = 2;

interface Options {
    split: ReturnType<typeof parseExpect>;
    port: number;
    errorRate: number;
}

const flags = flagParser(UsageError);

function parseOptions(argv: string[]): Options | "help" {
    const values = flags.parse(argv, {
        split: { type: "string" },
        port: { type: "string", default: "0" },
        "error-rate": { type: "string", default: "0" },
        help: { type: "boolean", short: "h", default: false },
    });
    if (values.help) {
        return "help";
    }
    if (values.split === undefined) {
        throw new UsageError("--split is required, e.g. --split v1=80,v2=20");
    }
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
        throw new UsageError(`--port '${values.port}' is invalid: use a port number from 1 to 65535 (or 0 for a free one)`);
    }
    const errorRate = flags.number("--error-rate", values["error-rate"], (v) => v >= 0 && v < 1, "a share from 0 up to (not including) 1, e.g. 0.1");
    return { split: parseExpect(values.split, "--split"), port, errorRate };
}

async function main(argv: string[]): Promise<number> {
    let options;
    try {
        options = parseOptions(argv);
    } catch (err) {
        if (err instanceof UsageError) {
            console.error(`sample-server: ${err.message}\n${USAGE}`);
            return EXIT_USAGE;
        }
        throw err;
    }
    if (options === "help") {
        console.log(USAGE);
        return 0;
    }
    const { split, errorRate } = options;
    let server;
    try {
        server = await startSampleServer({
            mix: [
                ...split.map((s) => ({ answer: s.version, weight: s.share * (1 - errorRate) })),
                ...(errorRate > 0 ? [{ answer: "!503", weight: errorRate }] : []),
            ],
            // A new draw sequence every run, as a real ingress gives.
            seed: Math.floor(Math.random() * 2 ** 32),
            port: options.port,
        });
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        console.error(`sample-server: cannot listen on 127.0.0.1:${options.port}: ${code === "EADDRINUSE" ? "the port is in use" : (err as Error).message}`);
        return EXIT_CANNOT_LISTEN;
    }
    const running = server;
    // Listening for Ctrl-C before the URL is printed: whoever reads the URL may stop the server at once.
    const stopped = new Promise<void>((resolve) => {
        const stop = () => void running.close().then(resolve);
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
    });
    const mix = split.map((s) => `${s.version} ${+(s.share * 100).toFixed(6)}%`).join(", ");
    console.log(`sample server at ${server.url}: ${mix}${errorRate > 0 ? `, ${+(errorRate * 100).toFixed(6)}% of requests answered 503` : ""}; Ctrl-C stops it`);
    await stopped;
    return 0;
}

process.exitCode = await main(process.argv.slice(2));
