import net from "node:net";

/** A TCP relay to a real service that a test can cut and restore, to play an outage without stopping the service. */
export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number, port = 0): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;

  const listen = (onPort: number) =>
    new Promise<number>((resolve, reject) => {
      const relay = net.createServer((incoming) => {
        const outgoing = net.connect(targetPort, targetHost);
        for (const socket of [incoming, outgoing]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => {
            incoming.destroy();
            outgoing.destroy();
          });
        }
        incoming.pipe(outgoing).pipe(incoming);
      });
      relay.once("error", reject);
      relay.listen(onPort, "127.0.0.1", () => {
        server = relay;
        resolve((relay.address() as net.AddressInfo).port);
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  const boundPort = await listen(port);
  return {
    port: boundPort,
    cut: stop,
    async restore() {
      await listen(boundPort);
    },
    close: stop,
  };
}
