import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Synced } from "../../protocol/common.ts";
import type { PoolStateView } from "../../protocol/pool.ts";
import { sdkClient, signInGuest, startTestServer, type TestServer, walletBalance } from "../support/game-server.ts";
import { waitFor } from "../support/wait.ts";

function practice(server: TestServer, token: string | null, body: unknown) {
  return fetch(`${server.url}/practice/pool`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
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
    const room = await sdkClient(server.url, guest.token).joinById<Synced<PoolStateView>>(roomId, { code });
    const shots: unknown[] = [];
    room.onMessage("shot", (shot) => shots.push(shot));
    for (const type of ["matchStarted", "decision", "timeout", "matchOver", "error"]) room.onMessage(type, () => {});
    const state = () => room.state;
    await waitFor(() => state().phase === "accepting", "both seats", 20_000);
    expect(state().stakeMinor).toBe("0");
    room.send("acceptStake", {});
    await waitFor(() => state().phase === "playing", "the match", 20_000);
    const mine = Number([...state().seats.entries()].find(([, s]) => s.playerId === guest.player.id)![0]);
    if (state().shooter !== mine) await waitFor(() => shots.length > 0, "the bot's break", 20_000);
    expect(await walletBalance(server.url, guest.token)).toBe(1_000_000n);

    const second = await practice(server, guest.token, { level: "easy" });
    expect(second.status).toBe(201);
    const third = await practice(server, guest.token, { level: "easy" });
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ error: "TOO_MANY_BOT_MATCHES" });
    await room.leave();
  });
});
