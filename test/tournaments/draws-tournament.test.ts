import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DrawBot, type DrawRoomView } from "../../loadtest/bots/draw-bot.ts";
import { TournamentBot } from "../../loadtest/bots/tournament-bot.ts";
import { type Guest, signInGuest, startTestServerOnPostgres, type TestServer } from "../support/game-server.ts";
import { postgresAvailable } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";
import {
  createTournament,
  expectedPrizes,
  OPERATOR,
  operatorAuth,
  ROUTE_POLL_MS,
  runAuditCli,
  tournamentDetail,
  transfersOfRound,
  untilStatus,
} from "./support.ts";

const available = await postgresAvailable();
const PLAYERS = 13;
const FEE_MINOR = 5_000n;
const PRIZE_BPS = [5000, 3000, 2000];
const RAKE_BPS = 1000;

describe.skipIf(!available)("a 13-player draws tournament played by SDK-client bots", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServerOnPostgres(
      {
        MONITOR_USER: OPERATOR.user,
        MONITOR_PASSWORD: OPERATOR.password,
        TOURNAMENT_TICK_MS: "50",
      },
      "ts_tourn",
    );
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("the operator route needs operator credentials", async () => {
    const response = await fetch(`${server.url}/tournaments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(401);
    const bad = await fetch(`${server.url}/tournaments`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: operatorAuth },
      body: JSON.stringify({
        name: "x",
        game: "draws",
        entryFeeMinor: 100,
        seatsMin: 2,
        seatsMax: 4,
        prizeBps: [6000, 3000],
        startWhenFull: true,
      }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe("BAD_PRIZE_STRUCTURE");
    expect(
      ((await (await fetch(`${server.url}/tournaments`)).json()) as { tournaments: unknown[] }).tournaments,
    ).toEqual([]);
  });

  it("byes as the library places them, a killed player forfeits, places paid, the pool at zero, the audit green", async () => {
    const t = await createTournament(server.url, {
      name: "Thirteen",
      game: "draws",
      bestOf: 3,
      entryFeeMinor: Number(FEE_MINOR),
      rakeBps: RAKE_BPS,
      seatsMin: 4,
      seatsMax: PLAYERS,
      prizeBps: PRIZE_BPS,
      startWhenFull: true,
      noShowSeconds: 10,
      matchOptions: { reconnectSeconds: 0.5, drawSeconds: 2, patchRateMs: 10, stakeMinor: 100 },
    });
    expect(t.status).toBe("registering");
    const guests: Guest[] = [];
    for (let i = 0; i < PLAYERS; i++) guests.push(await signInGuest(server.url, `Bot ${i}`));
    // Seat 12 (the last to register, so it plays in round 1) is killed when the first round of its first match settles.
    const victim = guests[PLAYERS - 1]!;
    const drawBots = new Map<string, DrawBot[]>();
    const bots: TournamentBot[] = guests.map(
      (guest) =>
        new TournamentBot({
          endpoint: server.url,
          token: guest.token,
          playerId: guest.player.id,
          tournamentId: t.id,
          playMatch: (room: Room) => {
            const bot = new DrawBot(room, {
              playerId: guest.player.id,
              stakeMinor: (view: DrawRoomView) => BigInt(view.minStakeMinor),
            });
            drawBots.set(guest.player.id, [...(drawBots.get(guest.player.id) ?? []), bot]);
            // Killed as its first round settles, before bots that play at machine speed can finish the match.
            if (guest === victim) room.onMessage("roundSettled", () => bots[PLAYERS - 1]!.kill());
          },
        }),
    );
    for (const [index, bot] of bots.entries()) {
      await bot.connect();
      bot.register();
      // Registration order is the seeding: wait for each one so seeds follow the bot numbers.
      await waitFor(
        async () => (await tournamentDetail(server.url, t.id)).registered === index + 1,
        `entry ${index}`,
        10_000,
        ROUTE_POLL_MS,
      );
    }
    await untilStatus(server.url, t.id, "running", 10_000);

    const started = await tournamentDetail(server.url, t.id);
    const seedOf = new Map(started.entries.map((e) => [e.playerId, e.seed]));
    expect(guests.map((g) => seedOf.get(g.player.id))).toEqual([...Array(PLAYERS).keys()]);
    const firstRound = started.matches.filter((m) => m.round === 1);
    expect(firstRound).toHaveLength(8);
    // 16 slots: the three byes go to the top three seeds, as brackets-manager's inner-outer seeding places them.
    const byeSeeds = firstRound.filter((m) => m.seeds.includes(null)).map((m) => m.seeds.find((s) => s !== null));
    expect(byeSeeds.sort()).toEqual([0, 1, 2]);

    await waitFor(() => (drawBots.get(victim.player.id)?.[0]?.rounds ?? 0) >= 1, "the victim's first round", 20_000);

    await untilStatus(server.url, t.id, "finished", 120_000);
    const final = await tournamentDetail(server.url, t.id);
    for (const bot of bots) bot.stop();

    // The victim's match went to the opponent by forfeit; the victim played no other match.
    const victimMatches = final.matches.filter((m) => m.players.includes(victim.player.id));
    expect(victimMatches).toHaveLength(1);
    expect(victimMatches[0]!.reason).toBe("forfeit");
    expect(victimMatches[0]!.winnerPlayerId).not.toBe(victim.player.id);
    // Every real match was decided and played in a room; byes never got one.
    const decided = final.matches.filter((m) => m.winnerPlayerId !== null);
    expect(decided).toHaveLength(PLAYERS - 1 + 1);
    for (const bye of firstRound.filter((m) => m.seeds.includes(null))) {
      const player = bye.players.find((p) => p !== null)!;
      expect(victimMatches.some((m) => m.matchId === bye.matchId)).toBe(false);
      expect(final.matches.filter((m) => m.round === 1 && m.players.includes(player) && m.winnerPlayerId)).toHaveLength(
        0,
      );
    }

    // Places from the bracket: the final's winner first, its loser second, the third-place match's winner third.
    const lastRound = Math.max(...final.matches.map((m) => m.round));
    const finalMatch = final.matches.find((m) => m.round === lastRound)!;
    const thirdPlace = final.matches.find((m) => m.round === -1)!;
    const loserOf = (m: (typeof final.matches)[number]) => m.players.find((p) => p !== m.winnerPlayerId)!;
    const podium = [finalMatch.winnerPlayerId!, loserOf(finalMatch), thirdPlace.winnerPlayerId!];
    const placeOf = new Map(final.entries.map((e) => [e.playerId, e.place]));
    expect(podium.map((id) => placeOf.get(id))).toEqual([1, 2, 3]);

    const roundId = `tournament:${t.id}`;
    const prizes = expectedPrizes(BigInt(PLAYERS) * FEE_MINOR, RAKE_BPS, PRIZE_BPS);
    for (const guest of guests) {
      const rows = await transfersOfRound(server.url, guest.token, roundId);
      const fees = rows.filter((r) => r.kind === "entry_fee");
      expect(fees.map((r) => r.amountMinor)).toEqual([FEE_MINOR.toString()]);
      const paid = rows.filter((r) => r.kind === "prize").map((r) => BigInt(r.amountMinor));
      const place = podium.indexOf(guest.player.id);
      expect(paid, `prizes of ${guest.player.displayName}`).toEqual(place >= 0 ? [prizes[place]] : []);
    }
    expect(final.prizePoolMinor).toBe("0");
    const audit = await runAuditCli(server.databaseUrl!);
    expect(audit.code, audit.output).toBe(0);

    // Each player's history lists the tournament with the place reached.
    const history = (await (await fetch(`${server.url}/players/${podium[0]}/tournaments`)).json()) as {
      tournaments: { tournamentId: string; place: number }[];
    };
    expect(history.tournaments.find((h) => h.tournamentId === t.id)?.place).toBe(1);
    const listed = (await (await fetch(`${server.url}/tournaments?status=finished`)).json()) as {
      tournaments: { id: string }[];
    };
    expect(listed.tournaments.map((x) => x.id)).toContain(t.id);
  }, 180_000);
});
