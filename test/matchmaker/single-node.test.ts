import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegionsView, TicketView } from "../../protocol/matchmaker.ts";
import { type Guest, sdkClient, signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";

async function call(server: TestServer, guest: Guest, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${guest.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function waitForMatch(server: TestServer, guest: Guest, timeoutMs = 10_000): Promise<TicketView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await call(server, guest, "GET", "/matchmaker/ticket");
    const view = body as unknown as TicketView;
    if (view.status !== "queued" && view.status !== "matching") return view;
    if (Date.now() > until) throw new Error(`no match within ${timeoutMs} ms: ${JSON.stringify(view)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("matchmaker on one node (memory queue)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MATCHMAKER_PASS_INTERVAL_MS: "50", REGION: "local" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("lists its region with a ping endpoint that answers", async () => {
    const regions = (await (await fetch(`${server.url}/regions`)).json()) as RegionsView;
    expect(regions.regions.map((r) => r.region)).toEqual(["local"]);
    const ping = await fetch(new URL(regions.regions[0]!.pingUrl, server.url));
    expect(ping.status).toBe(204);
    expect(regions.games.map((g) => g.game).sort()).toEqual(["draws", "pool"]);
  });

  it("two players queued for draws are seated together and join through the SDK", async () => {
    const [alice, bob] = await Promise.all([signInGuest(server.url, "Alice"), signInGuest(server.url, "Bob")]);
    const queuedA = await call(server, alice, "POST", "/matchmaker/tickets", {
      game: "draws",
      tier: "low",
      bestOf: 3,
      rttsMs: { local: 20 },
    });
    expect(queuedA.status).toBe(201);
    expect(queuedA.body.status).toBe("queued");
    const queuedB = await call(server, bob, "POST", "/matchmaker/tickets", {
      game: "draws",
      tier: "low",
      bestOf: 3,
      rttsMs: { local: 25 },
    });
    expect(queuedB.status).toBe(201);
    const [matchA, matchB] = await Promise.all([waitForMatch(server, alice), waitForMatch(server, bob)]);
    expect(matchA.status).toBe("matched");
    expect(matchB.status).toBe("matched");
    expect(matchA.match!.roomId).toBe(matchB.match!.roomId);
    expect(matchA.match!.opponent.playerId).toBe(bob.player.id);
    const rooms: Room[] = await Promise.all(
      [
        [alice, matchA],
        [bob, matchB],
      ].map(([guest, view]) =>
        sdkClient(server.url, (guest as Guest).token).consumeSeatReservation(
          (view as TicketView).match!.seatReservation,
        ),
      ),
    );
    expect(rooms[0]!.roomId).toBe(matchA.match!.roomId);
    await Promise.all(rooms.map((room) => room.leave()));
  });
});
