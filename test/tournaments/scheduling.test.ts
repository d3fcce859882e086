import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DrawBot, type DrawRoomView } from "../../loadtest/bots/draw-bot.ts";
import { TournamentBot } from "../../loadtest/bots/tournament-bot.ts";
import type { TournamentSummary, YourMatchMessage } from "../../protocol/tournament.ts";
import {
  type Guest,
  sdkClient,
  signInGuest,
  startTestServer,
  type TestServer,
  walletBalance,
} from "../support/game-server.ts";
import { postgresAvailable } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";
import { createTournament, OPERATOR, operatorAuth, ROUTE_POLL_MS, tournamentDetail, untilStatus } from "./support.ts";

const available = await postgresAvailable();
const GRANT_MINOR = 1_000_000n;
const SIT_AND_GO = {
  name: "Heads-up sit and go",
  game: "draws",
  entryFeeMinor: 500,
  seatsMin: 2,
  seatsMax: 2,
  prizeBps: [10_000],
  noShowSeconds: 5,
  matchOptions: { reconnectSeconds: 0.5, drawSeconds: 1, patchRateMs: 10 },
};

async function register(url: string, id: string, guest: Guest, method = "POST") {
  const response = await fetch(`${url}/tournaments/${id}/registration`, {
    method,
    headers: { authorization: `Bearer ${guest.token}` },
  });
  return { status: response.status, body: (await response.json()) as { error?: string } & Partial<TournamentSummary> };
}

async function openTournaments(url: string): Promise<TournamentSummary[]> {
  return ((await (await fetch(`${url}/tournaments?status=open`)).json()) as { tournaments: TournamentSummary[] })
    .tournaments;
}

describe.skipIf(!available)("tournament scheduling, no-shows and the HTTP routes", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      MONITOR_USER: OPERATOR.user,
      MONITOR_PASSWORD: OPERATOR.password,
      TOURNAMENT_TICK_MS: "50",
      TOURNAMENT_RECURRING: JSON.stringify([{ key: "heads-up", spec: SIT_AND_GO }]),
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("opens registration on time, starts on time, and cancels with refunds when under the minimum", async () => {
    const now = Date.now();
    const scheduled = await createTournament(server.url, {
      ...SIT_AND_GO,
      name: "On time",
      seatsMax: 4,
      registrationOpensAt: new Date(now + 4_000).toISOString(),
      startsAt: new Date(now + 7_000).toISOString(),
    });
    const short = await createTournament(server.url, {
      ...SIT_AND_GO,
      name: "Too few",
      seatsMin: 3,
      prizeBps: [10_000],
      seatsMax: 4,
      startsAt: new Date(now + 5_000).toISOString(),
    });
    const [a, b, c] = await Promise.all(["Sa", "Sb", "Sc"].map((name) => signInGuest(server.url, name)));
    const early = await register(server.url, scheduled.id, a!);
    expect(Date.now()).toBeLessThan(now + 4_000);
    expect(early.status).toBe(409);
    expect(early.body.error).toBe("REGISTRATION_NOT_OPEN");
    expect(await walletBalance(server.url, a!.token)).toBe(GRANT_MINOR);

    expect((await register(server.url, short.id, c!)).status).toBe(200);
    expect(await walletBalance(server.url, c!.token)).toBe(GRANT_MINOR - 500n);

    await untilStatus(server.url, scheduled.id, "registering", 8_000);
    expect((await register(server.url, scheduled.id, a!)).status).toBe(200);
    expect((await register(server.url, scheduled.id, b!)).status).toBe(200);
    const twice = await register(server.url, scheduled.id, b!);
    expect(twice.body.error).toBe("ALREADY_REGISTERED");

    await untilStatus(server.url, short.id, "cancelled", 10_000);
    expect(await walletBalance(server.url, c!.token)).toBe(GRANT_MINOR);
    expect((await tournamentDetail(server.url, short.id)).prizePoolMinor).toBe("0");
    const after = await register(server.url, short.id, a!);
    expect(after.body.error).toBe("REGISTRATION_CLOSED");

    await untilStatus(server.url, scheduled.id, "running", 10_000);
    const withdraw = await register(server.url, scheduled.id, a!, "DELETE");
    expect(withdraw.status).toBe(409);
    expect(withdraw.body.error).toBe("ALREADY_STARTED");
    expect(await walletBalance(server.url, a!.token)).toBe(GRANT_MINOR - 500n);
  }, 30_000);

  it("a recurring sit-and-go opens a new copy as soon as one fills; a player who never sits down forfeits", async () => {
    await waitFor(
      async () => (await openTournaments(server.url)).some((t) => t.name === SIT_AND_GO.name),
      "the copy",
      30_000,
      ROUTE_POLL_MS,
    );
    const first = (await openTournaments(server.url)).find((t) => t.name === SIT_AND_GO.name)!;
    const [present, absent] = await Promise.all(["Here", "Away"].map((name) => signInGuest(server.url, name)));
    // The absent player registers and is told of the match, but never takes the seat.
    const lobby = await sdkClient(server.url, absent!.token).joinOrCreate("tournament", { tournamentId: first.id });
    const told: YourMatchMessage[] = [];
    lobby.onMessage("yourMatch", (match: YourMatchMessage) => told.push(match));
    const errors: { type: string; code: string }[] = [];
    lobby.onMessage("error", (error: { type: string; code: string }) => errors.push(error));
    lobby.send("register", {});
    await waitFor(
      async () => (await tournamentDetail(server.url, first.id)).registered === 1,
      "a registration",
      10_000,
      250,
    );
    // A second registration from the lobby is refused there, with nothing taken twice.
    lobby.send("register", {});
    lobby.send("register", { extra: true });
    await waitFor(() => errors.length === 2, "the refusals", 10_000);
    expect(errors.map((e) => e.code).sort()).toEqual(["BAD_MESSAGE", "ALREADY_REGISTERED"].sort());

    const bot = new TournamentBot({
      endpoint: server.url,
      token: present!.token,
      playerId: present!.player.id,
      tournamentId: first.id,
      playMatch: (room: Room) =>
        void new DrawBot(room, {
          playerId: present!.player.id,
          stakeMinor: (view: DrawRoomView) => BigInt(view.minStakeMinor),
        }),
    });
    await bot.connect();
    bot.register();
    await waitFor(
      async () => (await openTournaments(server.url)).some((t) => t.name === SIT_AND_GO.name && t.id !== first.id),
      "the next copy",
      10_000,
      250,
    );
    await untilStatus(server.url, first.id, "finished", 20_000);
    expect(told).toHaveLength(1);
    expect(told[0]!.showDeadline).toBeGreaterThan(0);
    const final = await tournamentDetail(server.url, first.id);
    expect(final.matches[0]!.reason).toBe("noShow");
    expect(final.matches[0]!.winnerPlayerId).toBe(present!.player.id);
    expect(final.entries.find((e) => e.playerId === present!.player.id)?.prizeMinor).toBe("1000");
    expect(await walletBalance(server.url, absent!.token)).toBe(GRANT_MINOR - 500n);
    bot.stop();
    await lobby.leave();
  }, 40_000);

  it("refuses malformed and oversized bodies and unknown ids with a 4xx", async () => {
    const post = (body: string) =>
      fetch(`${server.url}/tournaments`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: operatorAuth },
        body,
      });
    expect((await post("{not json")).status).toBe(400);
    expect((await post(JSON.stringify({ name: "x".repeat(9_000) }))).status).toBe(413);
    expect((await fetch(`${server.url}/tournaments/NOT%20AN%20ID`)).status).toBe(404);
    expect((await fetch(`${server.url}/tournaments?status=everything`)).status).toBe(400);
    expect((await fetch(`${server.url}/players/nobody/tournaments`)).status).toBe(400);
    const anonymous = await fetch(`${server.url}/tournaments/t-x/registration`, { method: "POST" });
    expect(anonymous.status).toBe(401);
  });
});
