import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededUniform } from "../../simulation/rng/index.ts";
import { splitPrizePool } from "../../simulation/tournament/index.ts";
import { tournamentEntries, tournamentMatches, tournaments } from "../../src/db/schema/index.ts";
import { TournamentError } from "../../src/tournaments/errors.ts";
import {
  applyMatchResult,
  cancelTournament,
  enlistReadyMatches,
  startTournament,
} from "../../src/tournaments/lifecycle.ts";
import { PrizePool } from "../../src/tournaments/prize-pool.ts";
import { lockTournament, TournamentService } from "../../src/tournaments/service.ts";
import { postgresAvailable } from "../support/services.ts";
import { openWalletTestContext, type WalletTestContext } from "../wallet/support.ts";

const GRANT_MINOR = 100_000n;
const FEE_MINOR = 1_000n;

const spec = (overrides: Record<string, unknown> = {}) => ({
  name: "Friday draws",
  game: "draws",
  bestOf: 3,
  entryFeeMinor: Number(FEE_MINOR),
  rakeBps: 500,
  seatsMin: 4,
  seatsMax: 16,
  prizeBps: [5000, 2500, 1500, 1000],
  startWhenFull: true,
  ...overrides,
});

const available = await postgresAvailable();

describe.skipIf(!available)("tournament lifecycle on Postgres (bracket, entries and money in one transaction)", () => {
  let ctx: WalletTestContext;
  let service: TournamentService;

  beforeAll(async () => {
    ctx = await openWalletTestContext();
    service = new TournamentService(ctx.database.db, { nodeId: "node-a", leaseMs: 5_000, walletLeaseMs: 60_000 });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  async function playersWithWallets(count: number): Promise<string[]> {
    const ids = await ctx.createPlayers(count);
    for (const id of ids) await ctx.wallet.ensurePlayerWallet(id);
    return ids;
  }

  async function balance(playerId: string): Promise<bigint> {
    return (await ctx.wallet.balance(playerId)).balanceMinor;
  }

  async function registeredCount(tournamentId: string): Promise<number> {
    return (await service.summary(tournamentId)).registered;
  }

  /** Plays the bracket out with seeded random winners, as the driver would apply room results. */
  async function playOut(tournamentId: string, seed: number) {
    const random = seededUniform(seed);
    const decided: { matchId: number; round: number; winner: string; loser: string }[] = [];
    for (let guard = 0; guard < 200; guard++) {
      const t = await ctx.database.db.transaction(async (tx) => {
        const locked = await lockTournament(tx, tournamentId);
        await enlistReadyMatches(tx, locked);
        return locked;
      });
      if (t.status !== "running") return decided;
      const open = await ctx.database.db
        .select()
        .from(tournamentMatches)
        .where(and(eq(tournamentMatches.tournamentId, tournamentId), eq(tournamentMatches.status, "placing")));
      if (open.length === 0) return decided;
      const match = open[Math.floor(random() * open.length)]!;
      const first = random() < 0.5;
      const winner = first ? match.player0Id : match.player1Id;
      const loser = first ? match.player1Id : match.player0Id;
      await ctx.database.db.transaction(async (tx) => {
        const locked = await lockTournament(tx, tournamentId);
        await applyMatchResult(tx, locked, match, {
          winnerPlayerId: winner,
          reason: "series",
          forfeit: random() < 0.2,
        });
      });
      decided.push({ matchId: match.matchId, round: match.round, winner, loser });
    }
    throw new Error("the bracket did not finish");
  }

  it("refuses each bad registration with a clear code and changes nothing", async () => {
    const players = await playersWithWallets(5);
    const t = await service.create(spec({ seatsMin: 2, seatsMax: 3, prizeBps: [7000, 3000] }));
    await service.register(t.id, { playerId: players[0]!, displayName: "a" });
    const before = await Promise.all(players.map(balance));
    const poolBefore = (await service.summary(t.id)).prizePoolMinor;

    const refusal = async (action: Promise<unknown>, code: string) => {
      const error = await action.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TournamentError);
      expect((error as TournamentError).code).toBe(code);
      expect((error as TournamentError).httpStatus).toBeGreaterThanOrEqual(400);
      expect((error as TournamentError).httpStatus).toBeLessThan(500);
    };

    // Twice.
    await refusal(service.register(t.id, { playerId: players[0]!, displayName: "a" }), "ALREADY_REGISTERED");
    // Insufficient funds: a player whose balance is below the fee.
    const [poor] = await ctx.createPlayers(1);
    await ctx.wallet.ensurePlayerWallet(poor!);
    await ctx.database.db.transaction(async (tx) => {
      // Spend the grant into another tournament's pool so the balance is below this fee.
      const other = await service.create(
        spec({ entryFeeMinor: Number(GRANT_MINOR - 10n), seatsMin: 2, prizeBps: [10_000] }),
      );
      const locked = await lockTournament(tx, other.id);
      await new PrizePool(tx, locked.walletRoundId).payEntryFee(`drain:${poor}`, poor!, GRANT_MINOR - 10n);
    });
    await refusal(service.register(t.id, { playerId: poor!, displayName: "poor" }), "INSUFFICIENT_FUNDS");
    expect(await balance(poor!)).toBe(10n);
    // Not registered.
    await refusal(service.unregister(t.id, players[4]!), "NOT_REGISTERED");
    // Unknown tournament, malformed player id.
    await refusal(service.register("t-nope", { playerId: players[1]!, displayName: "b" }), "NOT_FOUND");
    await refusal(service.register(t.id, { playerId: "not-a-uuid", displayName: "b" }), "BAD_REQUEST");
    // Full: three seats.
    await service.register(t.id, { playerId: players[1]!, displayName: "b" });
    await service.register(t.id, { playerId: players[2]!, displayName: "c" });
    await refusal(service.register(t.id, { playerId: players[3]!, displayName: "d" }), "TOURNAMENT_FULL");
    expect(await balance(players[3]!)).toBe(before[3]);
    expect(await registeredCount(t.id)).toBe(3);
    expect(BigInt((await service.summary(t.id)).prizePoolMinor)).toBe(BigInt(poolBefore) + 2n * FEE_MINOR);

    // Closed once started; unregistering after the start is refused and refunds nothing.
    await ctx.database.db.transaction(async (tx) => startTournament(tx, await lockTournament(tx, t.id)));
    await refusal(service.register(t.id, { playerId: players[4]!, displayName: "e" }), "REGISTRATION_CLOSED");
    await refusal(service.unregister(t.id, players[0]!), "ALREADY_STARTED");
    expect(await balance(players[0]!)).toBe(GRANT_MINOR - FEE_MINOR);
    expect(BigInt((await service.summary(t.id)).prizePoolMinor)).toBe(3n * FEE_MINOR);
    expect(await registeredCount(t.id)).toBe(3);

    // Closed by time: registration ends at startsAt.
    const timed = await service.create(
      spec({ startWhenFull: false, startsAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    await refusal(
      service.register(timed.id, { playerId: players[4]!, displayName: "e" }, new Date(Date.now() + 61_000)),
      "REGISTRATION_CLOSED",
    );
    // Not open yet.
    const later = await service.create(
      spec({
        registrationOpensAt: new Date(Date.now() + 60_000).toISOString(),
        startsAt: new Date(Date.now() + 120_000).toISOString(),
        startWhenFull: false,
      }),
    );
    expect(later.status).toBe("scheduled");
    await refusal(service.register(later.id, { playerId: players[4]!, displayName: "e" }), "REGISTRATION_NOT_OPEN");
    expect(await balance(players[4]!)).toBe(before[4]);

    const audit = await ctx.wallet.audit();
    expect(audit.ok, JSON.stringify(audit.checks.filter((c) => !c.ok))).toBe(true);
  });

  it("refuses a prize structure that does not sum to 100%, and other bad specs, creating nothing", async () => {
    const count = async () => (await ctx.database.db.select({ id: tournaments.id }).from(tournaments)).length;
    const before = await count();
    for (const [bad, code] of [
      [{ prizeBps: [5000, 3000] }, "BAD_PRIZE_STRUCTURE"],
      [{ prizeBps: [6000, 3000, 2000] }, "BAD_PRIZE_STRUCTURE"],
      [{ prizeBps: [3000, 7000] }, "BAD_PRIZE_STRUCTURE"],
      [{ prizeBps: [2000, 2000, 2000, 2000, 2000], seatsMin: 4 }, "BAD_PRIZE_STRUCTURE"],
      [{ seatsMin: 8, seatsMax: 4 }, "BAD_REQUEST"],
      [{ entryFeeMinor: 0 }, "BAD_REQUEST"],
      [{ game: "chess" }, "BAD_REQUEST"],
      [{ bestOf: 2 }, "BAD_REQUEST"],
      [{ startWhenFull: false }, "BAD_REQUEST"],
      [{ matchOptions: { drawSeconds: 0 } }, "BAD_REQUEST"],
      [{ extra: 1 }, "BAD_REQUEST"],
    ] as const) {
      const error = await service.create(spec(bad)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as TournamentError).code, JSON.stringify(bad)).toBe(code);
    }
    expect(await count()).toBe(before);
  });

  it("refunds an entry withdrawn before the start, and a re-registration pays again, once", async () => {
    const [a, b] = await playersWithWallets(2);
    const t = await service.create(spec({ seatsMin: 2, prizeBps: [10_000] }));
    await service.register(t.id, { playerId: a!, displayName: "a" });
    await service.unregister(t.id, a!);
    expect(await balance(a!)).toBe(GRANT_MINOR);
    await service.register(t.id, { playerId: a!, displayName: "a" });
    await service.register(t.id, { playerId: b!, displayName: "b" });
    expect(await balance(a!)).toBe(GRANT_MINOR - FEE_MINOR);
    expect((await service.summary(t.id)).prizePoolMinor).toBe((2n * FEE_MINOR).toString());
    // Cancelled: every entry back, each exactly once, the withdrawn-and-back entry included; the pool closed at zero.
    await ctx.database.db.transaction(async (tx) => cancelTournament(tx, await lockTournament(tx, t.id), "test"));
    expect(await balance(a!)).toBe(GRANT_MINOR);
    expect(await balance(b!)).toBe(GRANT_MINOR);
    const round = await ctx.wallet.round(`tournament:${t.id}`);
    expect(round?.status).toBe("refunded");
    expect(await ctx.wallet.escrowBalance(`tournament:${t.id}`)).toBe(0n);
    expect((await service.summary(t.id)).status).toBe("cancelled");
    const audit = await ctx.wallet.audit();
    expect(audit.ok, JSON.stringify(audit.checks.filter((c) => !c.ok))).toBe(true);
  });

  it("13 players: byes where the library puts them, places paid by the structure, the pool at exactly zero", async () => {
    for (const seed of [1, 2, 3]) {
      const players = await playersWithWallets(13);
      const t = await service.create(spec({ seatsMax: 13 }));
      for (const [index, playerId] of players.entries()) {
        await service.register(t.id, { playerId, displayName: `p${index}` });
      }
      await ctx.database.db.transaction(async (tx) => startTournament(tx, await lockTournament(tx, t.id)));
      const detail = await service.detail(t.id);
      // 16 slots for 13 players: the three byes go to the first three seeds (standard seeding), in round 1.
      const firstRound = detail.matches.filter((m) => m.round === 1);
      expect(firstRound).toHaveLength(8);
      const byes = firstRound.filter((m) => m.seeds.includes(null));
      expect(byes.map((m) => m.seeds.find((s) => s !== null)).sort()).toEqual([0, 1, 2]);
      expect(detail.matches.filter((m) => m.round === -1)).toHaveLength(1);

      const decided = await playOut(t.id, seed);
      // 13 players, single elimination with a third-place match: 12 eliminations + 1.
      expect(decided).toHaveLength(13);
      const final = await service.detail(t.id);
      expect(final.status).toBe("finished");
      const lastRound = Math.max(...decided.map((d) => d.round));
      const finalMatch = decided.find((d) => d.round === lastRound)!;
      const third = decided.find((d) => d.round === -1)!;
      const place = (id: string) => final.entries.find((e) => e.playerId === id)!.place;
      expect(place(finalMatch.winner)).toBe(1);
      expect(place(finalMatch.loser)).toBe(2);
      expect(place(third.winner)).toBe(3);
      expect(place(third.loser)).toBe(4);
      const poolMinor = 13n * FEE_MINOR;
      const rakeMinor = (poolMinor * 500n) / 10_000n;
      const net = poolMinor - rakeMinor;
      const expectedByPlace = [5000n, 2500n, 1500n, 1000n].map((bps) => (net * bps) / 10_000n);
      expectedByPlace[0]! += net - expectedByPlace.reduce((a, b) => a + b, 0n);
      for (const [index, id] of [finalMatch.winner, finalMatch.loser, third.winner, third.loser].entries()) {
        expect(await balance(id)).toBe(GRANT_MINOR - FEE_MINOR + expectedByPlace[index]!);
      }
      for (const entry of final.entries) {
        if ((entry.place ?? 99) > 4) expect(await balance(entry.playerId)).toBe(GRANT_MINOR - FEE_MINOR);
      }
      expect(await ctx.wallet.escrowBalance(`tournament:${t.id}`)).toBe(0n);
      expect((await ctx.wallet.round(`tournament:${t.id}`))?.status).toBe("settled");
      // Paying again is refused by the ledger's key: the prizes were paid once.
      const again = await ctx.database.db
        .transaction(async (tx) => {
          const locked = await lockTournament(tx, t.id);
          await new PrizePool(tx, locked.walletRoundId).payPrizes(`${locked.walletRoundId}:prizes`, [], 0n);
        })
        .then(
          () => "accepted",
          (error: { code?: string }) => error.code,
        );
      expect(again).not.toBe("accepted");
      expect(await ctx.wallet.escrowBalance(`tournament:${t.id}`)).toBe(0n);
    }
    const audit = await ctx.wallet.audit();
    expect(audit.ok, JSON.stringify(audit.checks.filter((c) => !c.ok))).toBe(true);
  }, 120_000);

  it("a step that fails halfway leaves the bracket, the match and the money as they were", async () => {
    const players = await playersWithWallets(4);
    const t = await service.create(spec({ seatsMax: 4 }));
    for (const [index, playerId] of players.entries())
      await service.register(t.id, { playerId, displayName: `q${index}` });
    await ctx.database.db.transaction(async (tx) => {
      const locked = await lockTournament(tx, t.id);
      await startTournament(tx, locked);
      await enlistReadyMatches(tx, locked);
    });
    const before = await service.detail(t.id);
    const [match] = await ctx.database.db
      .select()
      .from(tournamentMatches)
      .where(eq(tournamentMatches.tournamentId, t.id));
    const crashed = await ctx.database.db
      .transaction(async (tx) => {
        const locked = await lockTournament(tx, t.id);
        await applyMatchResult(tx, locked, match!, {
          winnerPlayerId: match!.player0Id,
          reason: "series",
          forfeit: false,
        });
        throw new Error("the node died here");
      })
      .catch((error: Error) => error.message);
    expect(crashed).toBe("the node died here");
    const after = await service.detail(t.id);
    expect(after.matches).toEqual(before.matches);
    expect(after.version).toBe(before.version);
    const rows = await ctx.database.db.select().from(tournamentEntries).where(eq(tournamentEntries.tournamentId, t.id));
    expect(rows.every((row) => row.place === null)).toBe(true);
    expect(after.prizePoolMinor).toBe((4n * FEE_MINOR).toString());
  });

  it("prize splits over generated pools, rakes and ties add up to the pool exactly", () => {
    const random = seededUniform(20_261_201);
    for (let i = 0; i < 2_000; i++) {
      const places = 1 + Math.floor(random() * 6);
      const weights = Array.from({ length: places }, () => 1 + Math.floor(random() * 100)).sort((a, b) => b - a);
      const total = weights.reduce((a, b) => a + b, 0);
      const bps = weights.map((w) => Math.floor((w * 10_000) / total));
      bps[0]! += 10_000 - bps.reduce((a, b) => a + b, 0);
      const finishers = Array.from({ length: places + Math.floor(random() * 10) }, (_, seed) => ({
        playerId: `p${seed}`,
        rank: seed === 0 ? 1 : 2 + Math.floor(random() * 4),
        seed,
      }));
      const poolMinor = BigInt(Math.floor(random() * 10_000_000));
      const rakeBps = Math.floor(random() * 2_001);
      const split = splitPrizePool(poolMinor, rakeBps, bps, finishers);
      const paid = split.awards.reduce((sum, a) => sum + a.prizeMinor, 0n);
      expect(paid + split.rakeMinor, `case ${i}`).toBe(poolMinor);
      expect(split.rakeMinor).toBe((poolMinor * BigInt(rakeBps)) / 10_000n);
      expect(split.awards.every((a) => a.prizeMinor >= 0n)).toBe(true);
      // Players of one rank get the same prize to within one minor unit.
      for (const rank of new Set(finishers.map((f) => f.rank))) {
        const prizes = split.awards
          .filter((a) => finishers.find((f) => f.playerId === a.playerId)!.rank === rank)
          .map((a) => a.prizeMinor);
        if (rank === 1) continue;
        prizes.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        expect(prizes[prizes.length - 1]! - prizes[0]! <= 1n, `case ${i} rank ${rank}`).toBe(true);
      }
    }
  });
});
