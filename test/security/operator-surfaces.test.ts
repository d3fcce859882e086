import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlackjackStateView } from "../../protocol/blackjack.ts";
import type { Synced } from "../../protocol/common.ts";
import type { DrawsStateView } from "../../protocol/draws.ts";
import type { PoolStateView } from "../../protocol/pool.ts";
import { PoolRoom } from "../../rooms/PoolRoom.ts";
import { freePort } from "../support/free-port.ts";
import {
  type Guest,
  localRoom,
  sdkClient,
  signInGuest,
  startTestServer,
  type TestServer,
  walletBalance,
} from "../support/game-server.ts";
import { killSpawnedServers, spawnServer, waitForOutput } from "../support/server-process.ts";
import { waitFor } from "../support/wait.ts";

function basic(user: string, password: string) {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

const OPERATOR_ROUTES = ["/colyseus/", "/colyseus/api", "/admin/audit"];

describe("operator surfaces of a server started with no operator credentials configured", () => {
  let server: TestServer;
  let operator: Record<string, string>;
  let guest: Guest;
  const rooms: Room[] = [];
  let blackjack: Room<unknown, Synced<BlackjackStateView>>;
  let challenge: Room<unknown, Synced<DrawsStateView>>;
  let pool: Room<unknown, Synced<PoolStateView>>;

  beforeAll(async () => {
    server = await startTestServer();
    const credentials = server.server.services.config.monitor!;
    operator = basic(credentials.user, credentials.password);
    guest = await signInGuest(server.url, "Monitor Target");
    const other = await signInGuest(server.url, "Second Player");
    blackjack = await sdkClient(server.url, guest.token).create<Synced<BlackjackStateView>>("blackjack", {});
    challenge = await sdkClient(server.url, other.token).create<Synced<DrawsStateView>>("draws", { mode: "private" });
    pool = await sdkClient(server.url, guest.token).create<Synced<PoolStateView>>("pool", { mode: "private" });
    rooms.push(blackjack, challenge, pool);
    for (const room of rooms) room.onMessage("*", () => {});
    await waitFor(() => challenge.state.code?.length === 6, "the challenge code");
  });
  afterAll(async () => {
    for (const room of rooms) await room.leave().catch(() => {});
    await server?.stop();
  });

  it("refuses every operator route to a request without credentials, or with wrong ones", async () => {
    for (const route of OPERATOR_ROUTES) {
      expect((await fetch(`${server.url}${route}`)).status, route).toBe(401);
      expect((await fetch(`${server.url}${route}`, { headers: basic("operator", "guess") })).status, route).toBe(401);
    }
    const call = `/colyseus/api/room/call?roomId=${pool.roomId}&method=serverSeed&args=null`;
    const anonymous = await fetch(`${server.url}${call}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toMatch(/[0-9a-f]{64}/);
  });

  it("opens the monitor page and room list to the operator, without private challenge codes", async () => {
    expect((await fetch(`${server.url}/colyseus/`, { headers: operator })).status).toBe(200);
    const list = await fetch(`${server.url}/colyseus/api`, { headers: operator });
    expect(list.status).toBe(200);
    const text = await list.text();
    const listed = JSON.parse(text) as { rooms: { roomId: string; name: string }[] };
    expect(listed.rooms.map((room) => room.roomId).sort()).toEqual(rooms.map((room) => room.roomId).sort());
    const code = challenge.state.code;
    expect(text).not.toContain(code);
  });

  it("shows the operator a room's state as a spectator sees it: no code, no server seed, no shoe", async () => {
    const code = challenge.state.code;
    const poolSeed = localRoom(PoolRoom, pool.roomId).serverSeed;
    expect(poolSeed).toMatch(/^[0-9a-f]{64}$/);
    for (const room of rooms) {
      const response = await fetch(`${server.url}/colyseus/api/room?roomId=${room.roomId}`, { headers: operator });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toContain(code);
      expect(text).not.toContain(poolSeed);
      const inspected = JSON.parse(text) as { state: Record<string, unknown>; clients: unknown[] };
      expect(inspected.clients).toHaveLength(1);
      // Every 64-hex value shown is a commitment the players see too, never a live seed.
      // JSON.stringify calls the decoded state's toJSON: what the player was sent.
      const shownToPlayer = JSON.stringify(room.state);
      for (const hex of text.match(/[0-9a-f]{64}/g) ?? []) expect(shownToPlayer).toContain(hex);
    }
  });

  it("refuses the monitor's remote room call to the operator: no secret read, no state edited, no money moved", async () => {
    const before = await walletBalance(server.url, guest.token);
    const minBet = blackjack.state.minBetMinor;
    const attempts: [string, string, string][] = [
      [pool.roomId, "serverSeed", "null"],
      [blackjack.roomId, "seeds", "null"],
      [blackjack.roomId, "table", "null"],
      [challenge.roomId, "code", "null"],
      [blackjack.roomId, "_editStateProperty", JSON.stringify([["minBetMinor"], "1"])],
      [
        blackjack.roomId,
        "settleRound",
        JSON.stringify([{ seats: [{ seat: 0, staked: 100, returned: 5_000_000, net: 4_999_900 }] }]),
      ],
      [blackjack.roomId, "_forceClientDisconnect", JSON.stringify([blackjack.sessionId])],
    ];
    for (const [roomId, method, args] of attempts) {
      const query = new URLSearchParams({ roomId, method, args });
      const response = await fetch(`${server.url}/colyseus/api/room/call?${query}`, { headers: operator });
      expect(response.status, method).toBe(403);
      const text = await response.text();
      expect(text, method).not.toMatch(/[0-9a-f]{64}/);
      expect(text, method).not.toContain(challenge.state.code);
    }
    expect(blackjack.state.minBetMinor).toBe(minBet);
    expect(await walletBalance(server.url, guest.token)).toBe(before);
    expect(blackjack.connection.isOpen).toBe(true);
    const audit = await fetch(`${server.url}/admin/audit`, { headers: operator });
    expect(audit.status).toBe(200);
    expect(((await audit.json()) as { ok: boolean }).ok).toBe(true);
  });

  it("never changes anything on a GET or on another method under the monitor", async () => {
    for (const method of ["POST", "PUT", "DELETE"]) {
      const response = await fetch(`${server.url}/colyseus/api/room?roomId=${blackjack.roomId}`, {
        method,
        headers: operator,
      });
      expect([403, 404, 405]).toContain(response.status);
    }
  });
});

describe("npm start with no configuration", () => {
  afterAll(() => killSpawnedServers());

  it("generates operator credentials, prints them once, and lets only them into the monitor", async () => {
    const port = await freePort();
    const node = spawnServer({ PORT: String(port), DATA_DIR: "memory://", PHYSICS_BACKEND: "cpu" });
    await waitForOutput(node, /server listening/);
    await waitForOutput(node, /generated operator credentials/);
    const printed = node
      .output()
      .split("\n")
      .filter((line) => line.includes("operatorPassword"));
    expect(printed).toHaveLength(1);
    const { operatorUser, operatorPassword } = JSON.parse(printed[0]!) as Record<string, string>;
    expect(operatorPassword!.length).toBeGreaterThanOrEqual(20);
    const url = `http://127.0.0.1:${port}`;
    expect((await fetch(`${url}/colyseus/`)).status).toBe(401);
    expect((await fetch(`${url}/admin/audit`)).status).toBe(401);
    expect((await fetch(`${url}/colyseus/`, { headers: basic(operatorUser!, operatorPassword!) })).status).toBe(200);
    expect((await fetch(`${url}/admin/audit`, { headers: basic(operatorUser!, operatorPassword!) })).status).toBe(200);
    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);
  }, 90_000);
});
