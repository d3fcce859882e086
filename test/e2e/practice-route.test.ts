import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient, signInGuest, startTestServer, type TestServer, walletBalance } from "../support/game-server.ts";

function practice(server: TestServer, token: string | null, body: unknown) {
  return fetch(`${server.url}/practice/pool`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("POST /practice/pool: a practice match against the server's bot", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("refuses a missing token and a level that does not exist", async () => {
    expect((await practice(server, null, { level: "easy" })).status).toBe(401);
    const guest = await signInGuest(server.url, "Picky");
    const bad = await practice(server, guest.token, { level: "impossible" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "BAD_REQUEST" });
  });

  it("the bot sits, accepts and breaks or waits for the player's break; no money moves; a third match at once is refused", async () => {
    const guest = await signInGuest(server.url, "Solo");
    const answer = await practice(server, guest.token, { level: "hard" });
    expect(answer.status).toBe(201);
    const { roomId, code } = (await answer.json()) as { roomId: string; code: string };
    const room: Room = await sdkClient(server.url, guest.token).joinById(roomId, { code });
    const shots: unknown[] = [];
    room.onMessage("shot", (shot) => shots.push(shot));
    for (const type of ["matchStarted", "decision", "timeout", "matchOver", "error"]) room.onMessage(type, () => {});
    const state = () =>
      room.state as unknown as {
        phase: string;
        stakeMinor: string;
        shooter: number;
        seats: Map<string, { playerId: string }>;
      };
    await until("both seats", () => state().phase === "accepting");
    expect(state().stakeMinor).toBe("0");
    room.send("acceptStake", {});
    await until("the match", () => state().phase === "playing");
    const mine = Number([...state().seats.entries()].find(([, s]) => s.playerId === guest.player.id)![0]);
    if (state().shooter !== mine) await until("the bot's break", () => shots.length > 0);
    expect(await walletBalance(server.url, guest.token)).toBe(1_000_000n);

    const second = await practice(server, guest.token, { level: "easy" });
    expect(second.status).toBe(201);
    const third = await practice(server, guest.token, { level: "easy" });
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ error: "TOO_MANY_BOT_MATCHES" });
    await room.leave();
  });
});
