import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PoolBot } from "../../loadtest/bots/pool-bot-client.ts";
import { TournamentBot } from "../../loadtest/bots/tournament-bot.ts";
import { signInGuest, startTestServer, type TestServer } from "../support/game-server.ts";
import { postgresAvailable } from "../support/services.ts";
import {
  createTournament,
  expectedPrizes,
  OPERATOR,
  tournamentDetail,
  transfersOfRound,
  untilStatus,
} from "./support.ts";

const available = await postgresAvailable();
const FEE_MINOR = 2_000n;
const PRIZE_BPS = [7000, 3000];

describe.skipIf(!available)("a 4-player pool tournament played by pool bots", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      TOURNAMENT_TICK_MS: "50",
      MONITOR_USER: OPERATOR.user,
      MONITOR_PASSWORD: OPERATOR.password,
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("finishes with the winner paid by the prize structure and the prize pool empty", async () => {
    const t = await createTournament(server.url, {
      name: "Pool four",
      game: "pool",
      entryFeeMinor: Number(FEE_MINOR),
      seatsMin: 2,
      seatsMax: 4,
      prizeBps: PRIZE_BPS,
      startWhenFull: true,
      noShowSeconds: 15,
      // Short frames: the match cap decides a frame the bots have not finished (docs/pool-room.md "time cap").
      matchOptions: { matchSeconds: 4, shotClockSeconds: 2, animationScale: 0, acceptSeconds: 10, reconnectSeconds: 2 },
    });
    const guests = await Promise.all(["Ann", "Ben", "Cid", "Dee"].map((name) => signInGuest(server.url, name)));
    const poolBots: PoolBot[] = [];
    const bots = guests.map(
      (guest) =>
        new TournamentBot({
          endpoint: server.url,
          token: guest.token,
          playerId: guest.player.id,
          tournamentId: t.id,
          playMatch: (room: Room) => poolBots.push(new PoolBot(room, { playerId: guest.player.id })),
        }),
    );
    for (const bot of bots) {
      await bot.connect();
      bot.register();
    }
    await untilStatus(server.url, t.id, "finished", 90_000);
    for (const bot of bots) bot.stop();
    const final = await tournamentDetail(server.url, t.id);
    // Two semi-finals, the final and the third-place match, each played in a pool room to a result.
    expect(final.matches.filter((m) => m.winnerPlayerId !== null)).toHaveLength(4);
    expect(poolBots.length).toBe(8);
    expect(poolBots.every((bot) => bot.over !== null)).toBe(true);
    // A shot sent as the time cap ends the frame is refused as MATCH_OVER; nothing else may go wrong.
    expect(poolBots.flatMap((bot) => bot.problems).filter((p) => !p.includes("MATCH_OVER"))).toEqual([]);
    const finalMatch = final.matches.find((m) => m.round === 2)!;
    const winner = guests.find((g) => g.player.id === finalMatch.winnerPlayerId)!;
    expect(final.entries.find((e) => e.playerId === winner.player.id)?.place).toBe(1);
    const prizes = expectedPrizes(4n * FEE_MINOR, 0, PRIZE_BPS);
    const paid = await transfersOfRound(server.url, winner.token, `tournament:${t.id}`);
    expect(paid.filter((r) => r.kind === "prize").map((r) => BigInt(r.amountMinor))).toEqual([prizes[0]]);
    expect(final.prizePoolMinor).toBe("0");
    const audit = (await (await fetch(`${server.url}/admin/audit`, { headers: server.operator })).json()) as {
      ok: boolean;
    };
    expect(audit.ok, JSON.stringify(audit)).toBe(true);
  }, 120_000);
});
