import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { createScratchDatabase, postgresAvailable, type ScratchDatabase } from "../support/services.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import { waitFor } from "../support/wait.ts";

const hasPostgres = await postgresAvailable();

async function readyStatus(url: string): Promise<{ status: number; body: { problems?: string[] } }> {
  const response = await fetch(`${url}/ready`);
  return { status: response.status, body: (await response.json()) as { problems?: string[] } };
}

/** How often /ready is asked again while the database comes and goes. */
const READY_POLL_MS = 200;

/** The /ready answer once it has the status wanted. */
function readyWith(url: string, status: number) {
  return waitFor(
    async () => {
      const ready = await readyStatus(url);
      return ready.status === status && ready;
    },
    `/ready to answer ${status}`,
    15_000,
    READY_POLL_MS,
  );
}

describe.skipIf(!hasPostgres)("ops routes against the real Postgres", () => {
  let scratch: ScratchDatabase;
  let proxy: TcpProxy;
  let server: TestServer;
  const monitorAuth = (user: string, password: string) => ({
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
  });

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const target = new URL(scratch.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    target.host = `127.0.0.1:${proxy.port}`;
    server = await startTestServer({
      DATABASE_URL: target.toString(),
      MONITOR_USER: "ops",
      MONITOR_PASSWORD: "correct horse battery staple",
    });
  });
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await scratch?.drop();
  });

  it("/health answers while the process lives", async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe("ok");
  });

  it("/ready turns 503 naming the database while Postgres is unreachable, and recovers when it is back", async () => {
    expect((await readyStatus(server.url)).status).toBe(200);

    await proxy.cut();
    const down = await readyWith(server.url, 503);
    expect(down.status).toBe(503);
    expect(down.body.problems?.join(" ")).toMatch(/database/);

    await proxy.restore();
    const up = await readyWith(server.url, 200);
    expect(up.status).toBe(200);
  });

  it("/metrics counts rooms and connected clients by room type", async () => {
    const guest = await signInGuest(server.url, "Metric Mary");
    const room = await sdkClient(server.url, guest.token).joinOrCreate("lobby");
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^tablestakes_rooms\{room="lobby"\} 1$/m);
    expect(text).toMatch(/^tablestakes_clients\{room="lobby"\} 1$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    await room.leave();
  });

  it("the monitor refuses missing or wrong credentials and opens for the operator", async () => {
    expect((await fetch(`${server.url}/colyseus/`)).status).toBe(401);
    expect((await fetch(`${server.url}/colyseus/`, { headers: monitorAuth("ops", "wrong") })).status).toBe(401);
    expect(
      (await fetch(`${server.url}/colyseus/`, { headers: monitorAuth("admin", "correct horse battery staple") }))
        .status,
    ).toBe(401);
    const granted = await fetch(`${server.url}/colyseus/`, {
      headers: monitorAuth("ops", "correct horse battery staple"),
    });
    expect(granted.status).toBe(200);
  });
});

describe("the monitor in production without credentials", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: "production" });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("is refused outright", async () => {
    expect((await fetch(`${server.url}/colyseus/`)).status).toBe(403);
  });
});
