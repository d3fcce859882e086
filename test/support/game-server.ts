import { matchMaker, type Room } from "@colyseus/core";
import { Client } from "@colyseus/sdk";
import { loadConfig } from "../../src/config.ts";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { createLogger } from "../../src/logging.ts";
import { type GameServer, startGameServer } from "../../src/server.ts";
import { GENEROUS_LIMITS } from "./server-process.ts";
import { createScratchDatabase } from "./services.ts";

export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-signing";

export interface TestServer {
  server: GameServer;
  database: Database;
  /** The PostgreSQL database the server uses; undefined on PGlite. */
  databaseUrl: string | undefined;
  url: string;
  /** Headers that sign a request in as the operator (`/admin/audit`, `/colyseus`). */
  operator: Record<string, string>;
  stop(): Promise<void>;
}

/** A whole server in this process on a free port; in-memory PGlite unless `env.DATABASE_URL` is given. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "1",
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: "warn",
    SHUTDOWN_DEADLINE_MS: "2000",
    DATA_DIR: "memory://",
    // Suites about physics ask for a backend; the others need no GPU device (creating one takes seconds on lavapipe).
    PHYSICS_BACKEND: "cpu",
    ...GENEROUS_LIMITS,
    ...env,
  });
  // Port 0 lets the OS choose; the schema only accepts 1..65535 from operators.
  config.port = 0;
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  const server = await startGameServer(config, database, createLogger(config.logLevel));
  return {
    server,
    database,
    databaseUrl: config.databaseUrl,
    url: `http://127.0.0.1:${server.port}`,
    operator: config.monitor
      ? {
          authorization: `Basic ${Buffer.from(`${config.monitor.user}:${config.monitor.password}`).toString("base64")}`,
        }
      : {},
    async stop() {
      await server.shutdown("test finished");
      await database.close();
    },
  };
}

/** `startTestServer` on a scratch PostgreSQL database of its own, dropped when the server stops. */
export async function startTestServerOnPostgres(
  env: Record<string, string> = {},
  prefix?: string,
): Promise<TestServer> {
  const scratch = await createScratchDatabase(prefix);
  try {
    const server = await startTestServer({ ...env, DATABASE_URL: scratch.url });
    return {
      ...server,
      async stop() {
        await server.stop();
        await scratch.drop();
      },
    };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}

export interface Guest {
  token: string;
  player: { id: string; displayName: string };
}

export async function signInGuest(url: string, displayName: string): Promise<Guest> {
  const response = await fetch(`${url}/auth/guest`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ displayName }),
  });
  if (response.status !== 201) throw new Error(`guest sign-in failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Guest;
}

export function sdkClient(url: string, token?: string): Client {
  const client = new Client(url);
  if (token) client.auth.token = token;
  return client;
}

/** The player's balance as the wallet route reports it. */
export async function walletBalance(url: string, token: string): Promise<bigint> {
  const response = await fetch(`${url}/wallet`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /wallet failed: ${response.status} ${await response.text()}`);
  return BigInt(((await response.json()) as { balanceMinor: string }).balanceMinor);
}

/** A room this process hosts, as the class the test expects it to be (to read the state the server holds). */
export function localRoom<R extends Room>(roomClass: abstract new (...args: never[]) => R, roomId: string): R {
  const room = matchMaker.getLocalRoomById(roomId);
  if (!(room instanceof roomClass)) throw new Error(`room ${roomId} is not a ${roomClass.name} of this process`);
  return room;
}
