import type { Room } from "@colyseus/sdk";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DrawBot } from "../../loadtest/bots/draw-bot.ts";
import { type RegionsView, type TicketView, ticketViewSchema } from "../../protocol/matchmaker.ts";
import { playerRatings, ratedMatches } from "../../src/db/schema/index.ts";
import {
  type Guest,
  sdkClient,
  signInGuest,
  startTestServer,
  type TestServer,
  walletBalance,
} from "../support/game-server.ts";
import { waitFor } from "../support/wait.ts";

/** How often a test asks an HTTP route again while it waits for the queue. */
const HTTP_POLL_MS = 100;

async function call(server: TestServer, guest: Guest, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${guest.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The player's ticket once the queue has done with it (matched, or dropped and so on). */
function waitForMatch(server: TestServer, guest: Guest, timeoutMs = 10_000): Promise<TicketView> {
  return waitFor(
    async () => {
      const view = ticketViewSchema.parse((await call(server, guest, "GET", "/matchmaker/ticket")).body);
      return view.status !== "queued" && view.status !== "matching" && view;
    },
    `${guest.player.displayName}'s match`,
    timeoutMs,
    HTTP_POLL_MS,
  );
}

describe("matchmaker on one node (memory queue)", () => {
  let server: TestServer;
  beforeAll(async () => {
    // A starting balance below the top tier's stake, so "stake above the balance" is one request away.
    server = await startTestServer({
      MATCHMAKER_PASS_INTERVAL_MS: "50",
      REGION: "local",
      STARTING_GRANT_MINOR: "50000",
    });
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

  it("two players queued for draws through the SDK are told their match and take their seats", async () => {
    const guests = await Promise.all([signInGuest(server.url, "Alice"), signInGuest(server.url, "Bob")]);
    // Everything a game client does goes through @colyseus/sdk: its HTTP client carries the token.
    const clients = guests.map((guest) => sdkClient(server.url, guest.token));
    for (const [i, client] of clients.entries()) {
      const queued = await client.http.post(
        "/matchmaker/tickets" as never,
        {
          body: { game: "draws", tier: "low", bestOf: 3, rttsMs: { local: 20 + i } },
        } as never,
      );
      expect((queued as { status: number }).status).toBe(201);
      expect((queued as { data: TicketView }).data.status).toBe("queued");
    }
    const views = await Promise.all(
      clients.map((client) =>
        waitFor(
          async () => {
            const { data } = (await client.http.get("/matchmaker/ticket" as never)) as { data: unknown };
            const view = ticketViewSchema.parse(data);
            return view.status === "matched" && view;
          },
          "the match",
          10_000,
          HTTP_POLL_MS,
        ),
      ),
    );
    const [matchA, matchB] = views as [TicketView, TicketView];
    expect(matchA.match!.roomId).toBe(matchB.match!.roomId);
    expect(matchA.match!.opponent.playerId).toBe(guests[1]!.player.id);
    expect(matchB.match!.opponent.playerId).toBe(guests[0]!.player.id);
    const rooms: Room[] = await Promise.all(
      clients.map((client, i) => client.consumeSeatReservation(views[i]!.match!.seatReservation)),
    );
    expect(rooms.map((room) => room.roomId)).toEqual([matchA.match!.roomId, matchA.match!.roomId]);
    await Promise.all(rooms.map((room) => room.leave()));
  });

  it("each bad request is a clear 4xx with its code, and changes nothing", async () => {
    const ticket = { game: "pool", tier: "low", rttsMs: { local: 30 } };
    const manyRegions = Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`r${i}`, 10]));
    const cases: { name: string; body: unknown; raw?: string; status: number; code: string }[] = [
      { name: "unknown game", body: { ...ticket, game: "chess" }, status: 400, code: "UNKNOWN_GAME" },
      { name: "unknown tier", body: { ...ticket, tier: "whale" }, status: 400, code: "UNKNOWN_TIER" },
      { name: "stake above the balance", body: { ...ticket, tier: "high" }, status: 402, code: "INSUFFICIENT_FUNDS" },
      { name: "negative round trip", body: { ...ticket, rttsMs: { local: -5 } }, status: 400, code: "BAD_ROUND_TRIPS" },
      // JSON has no NaN: a client serialising NaN sends null, or a string.
      { name: "NaN round trip", body: { ...ticket, rttsMs: { local: null } }, status: 400, code: "BAD_ROUND_TRIPS" },
      { name: "NaN as text", body: { ...ticket, rttsMs: { local: "NaN" } }, status: 400, code: "BAD_ROUND_TRIPS" },
      {
        name: "infinite round trip",
        body: undefined,
        raw: '{"game":"pool","tier":"low","rttsMs":{"local":1e999}}',
        status: 400,
        code: "BAD_ROUND_TRIPS",
      },
      { name: "no regions", body: { ...ticket, rttsMs: {} }, status: 400, code: "BAD_ROUND_TRIPS" },
      {
        name: "33 regions",
        body: { ...ticket, rttsMs: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`r${i}`, 10])) },
        status: 400,
        code: "BAD_ROUND_TRIPS",
      },
      { name: "thousands of regions", body: { ...ticket, rttsMs: manyRegions }, status: 413, code: "BODY_TOO_LARGE" },
      {
        name: "bad region name",
        body: { ...ticket, rttsMs: { "EU West!": 10 } },
        status: 400,
        code: "BAD_ROUND_TRIPS",
      },
      { name: "only unknown regions", body: { ...ticket, rttsMs: { mars: 10 } }, status: 400, code: "NO_KNOWN_REGION" },
      { name: "series on pool", body: { ...ticket, bestOf: 3 }, status: 400, code: "BAD_BEST_OF" },
      { name: "even series on draws", body: { ...ticket, game: "draws", bestOf: 2 }, status: 400, code: "BAD_BEST_OF" },
      { name: "not JSON", body: undefined, raw: "{game:", status: 400, code: "BAD_REQUEST" },
      { name: "round trips not an object", body: { ...ticket, rttsMs: [10] }, status: 400, code: "BAD_ROUND_TRIPS" },
    ];
    for (const [i, c] of cases.entries()) {
      const guest = await signInGuest(server.url, `Bad ${i}`);
      const before = await walletBalance(server.url, guest.token);
      const response = await fetch(`${server.url}/matchmaker/tickets`, {
        method: "POST",
        headers: { authorization: `Bearer ${guest.token}`, "content-type": "application/json" },
        body: c.raw ?? JSON.stringify(c.body),
      });
      const body = (await response.json()) as { error: string; message: string };
      expect({ name: c.name, status: response.status, code: body.error }).toEqual({
        name: c.name,
        status: c.status,
        code: c.code,
      });
      expect(body.message.length, c.name).toBeGreaterThan(0);
      expect((await call(server, guest, "GET", "/matchmaker/ticket")).status, c.name).toBe(404);
      expect(await walletBalance(server.url, guest.token), c.name).toBe(before);
    }

    const unsigned = await fetch(`${server.url}/matchmaker/tickets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ticket),
    });
    expect(unsigned.status).toBe(401);

    // A second ticket, and cancelling someone else's: refused, and the first ticket is untouched.
    const [carol, dave] = await Promise.all([signInGuest(server.url, "Carol"), signInGuest(server.url, "Dave")]);
    const alone = { game: "pool", tier: "mid", rttsMs: { local: 30 } };
    const first = ticketViewSchema.parse((await call(server, carol, "POST", "/matchmaker/tickets", alone)).body);
    const second = await call(server, carol, "POST", "/matchmaker/tickets", { ...alone, game: "draws" });
    expect([second.status, second.body.error]).toEqual([409, "ALREADY_QUEUED"]);
    const theft = await call(server, dave, "DELETE", `/matchmaker/tickets/${first.ticketId}`);
    expect([theft.status, theft.body.error]).toEqual([403, "NOT_YOUR_TICKET"]);
    const missing = await call(server, dave, "DELETE", "/matchmaker/tickets/not-a-ticket");
    expect([missing.status, missing.body.error]).toEqual([404, "NO_TICKET"]);
    const still = ticketViewSchema.parse((await call(server, carol, "GET", "/matchmaker/ticket")).body);
    expect([still.ticketId, still.status, still.game]).toEqual([first.ticketId, "queued", "pool"]);
    expect(still.positionBand).toBe("1-10");
    // The queue length the HPA scales on counts the waiting ticket.
    const gauge = 'tablestakes_matchmaker_queue_length{game="pool",tier="mid",region="local"} 1';
    await waitFor(
      async () => (await (await fetch(`${server.url}/metrics`)).text()).includes(gauge),
      `${gauge} on /metrics`,
      5_000,
      HTTP_POLL_MS,
    );
    const cancelled = await call(server, carol, "DELETE", `/matchmaker/tickets/${first.ticketId}`);
    expect([cancelled.status, cancelled.body.status]).toEqual([200, "cancelled"]);
    const again = await call(server, carol, "DELETE", `/matchmaker/tickets/${first.ticketId}`);
    expect([again.status, again.body.error]).toEqual([409, "TICKET_CLOSED"]);
  });

  it("a matched draws match is rated once: the winner's rating rises, the loser's falls", async () => {
    const [erin, frank] = await Promise.all([signInGuest(server.url, "Erin"), signInGuest(server.url, "Frank")]);
    const body = { game: "draws", tier: "micro", bestOf: 1, rttsMs: { local: 15 } };
    for (const guest of [erin, frank])
      expect((await call(server, guest, "POST", "/matchmaker/tickets", body)).status).toBe(201);
    const views = await Promise.all([waitForMatch(server, erin), waitForMatch(server, frank)]);
    const bots = await Promise.all(
      [erin, frank].map(async (guest, i) => {
        const room = await sdkClient(server.url, guest.token).consumeSeatReservation(views[i]!.match!.seatReservation);
        return new DrawBot(room, { playerId: guest.player.id, stakeMinor: () => 100n, maxRounds: 1 });
      }),
    );
    const roomId = views[0]!.match!.roomId;
    const db = server.database.db;
    const rated = await waitFor(
      async () => {
        const rows = await db
          .select()
          .from(ratedMatches)
          .where(and(eq(ratedMatches.matchId, roomId), isNotNull(ratedMatches.ratedAt)));
        return rows.length > 0 && rows;
      },
      `match ${roomId} to be rated`,
      15_000,
      HTTP_POLL_MS,
    ).catch((error: Error) => {
      throw new Error(`${error.message} (the bots saw: ${bots.map((b) => b.problems).join("; ")})`);
    });
    const winner = rated[0]!.winnerPlayerId!;
    expect([erin.player.id, frank.player.id]).toContain(winner);
    const rows = await db.select().from(playerRatings).where(eq(playerRatings.game, "draws"));
    const of = (id: string) => rows.find((row) => row.playerId === id)!;
    const loser = winner === erin.player.id ? frank.player.id : erin.player.id;
    expect(of(winner).mu).toBeGreaterThan(25);
    expect(of(loser).mu).toBeLessThan(25);
    expect([of(winner).matches, of(loser).matches]).toEqual([1, 1]);
    await Promise.all(bots.map((bot) => bot.room.leave()));
  });
});
