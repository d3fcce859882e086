import { spawn } from "node:child_process";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { waitFor } from "../support/wait.ts";

const AUDIT_CLI = fileURLToPath(new URL("../../src/cli/audit.ts", import.meta.url));

/** A fault suite's wait: the shared waitFor with a longer default deadline, as these suites run several servers. */
export const until = (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) =>
  waitFor(check, what, timeoutMs);

/** The phase a room's synced state shows, "" before the first patch. */
export const phaseOf = (room: { state: { phase?: string } | undefined }) => room.state?.phase ?? "";

/** `npm run audit` against a database: exit code 0 when the ledger holds every invariant. */
export function runAudit(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AUDIT_CLI], {
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/**
 * A TCP relay in front of the server whose traffic can be stopped without closing anything: once stalled, no byte
 * goes either way and neither side hears of a close from the other, as with a client whose network went silent
 * (half-open) or that stopped reading. `resume` lets the bytes flow again.
 */
export interface StallingRelay {
  url: string;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startStallingRelay(targetPort: number): Promise<StallingRelay> {
  const pairs = new Set<[Socket, Socket]>();
  let stalled = false;
  const relay = createServer((incoming) => {
    const outgoing = connect(targetPort, "127.0.0.1");
    const pair: [Socket, Socket] = [incoming, outgoing];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      if (stalled) return;
      incoming.destroy();
      outgoing.destroy();
    };
    for (const socket of pair) {
      socket.on("error", end);
      socket.on("close", end);
    }
    incoming.pipe(outgoing).pipe(incoming);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const { port } = relay.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stall() {
      stalled = true;
      for (const [incoming, outgoing] of pairs) {
        incoming.unpipe();
        outgoing.unpipe();
        incoming.pause();
        outgoing.pause();
      }
    },
    resume() {
      stalled = false;
      for (const [incoming, outgoing] of pairs) {
        incoming.pipe(outgoing);
        outgoing.pipe(incoming);
        incoming.resume();
        outgoing.resume();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        stalled = false;
        for (const pair of pairs) for (const socket of pair) socket.destroy();
        pairs.clear();
        relay.close(() => resolve());
      }),
  };
}
