// TCP ports on 127.0.0.1 that nothing listens on now, chosen by the kernel. All of them are held open
// until the last is chosen, so they are distinct; they are closed again before the caller's servers
// bind them, so another process could take one in between: such a server exits, and the cluster's
// start fails naming it and its log.
import { createServer, type Server } from "node:net";

function listen(): Promise<Server> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => resolve(server));
    });
}

export async function freePorts(count: number): Promise<number[]> {
    const servers: Server[] = [];
    try {
        for (let i = 0; i < count; i++) {
            servers.push(await listen());
        }
        return servers.map((server) => {
            const address = server.address();
            if (address === null || typeof address !== "object") {
                throw new Error("the kernel gave no port");
            }
            return address.port;
        });
    } finally {
        await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
}
