import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DrawBot, type DrawRoomView, type RevealedSeedMessage } from "../../loadtest/bots/draw-bot.ts";
import { verifyCommitment } from "../../simulation/rng/index.ts";
import {
  sdkClient,
  signInGuest,
  startTestServerOnPostgres,
  type TestServer,
  walletBalance,
} from "../support/game-server.ts";
import { postgresAvailable } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";

const hasPostgres = await postgresAvailable();
const ROOMS = Number(process.env.DRAW_ROOMS ?? 20);
const ROUNDS_PER_ROOM = Number(process.env.DRAW_ROUNDS ?? 500);
const STARTING_GRANT_MINOR = 1_000_000n;
/** How far from one half a seat's win rate may be, in standard errors, before the test calls the draws unfair. */
const WIN_RATE_BOUND_SE = 4;

/**
 * Watches everything one client gets, snapshots and messages: any 64-hex string in it must be a commitment (a
 * `serverSeedHash`) or a seed already revealed, never the live server seed.
 */
class SeedLeakWatch {
  readonly revealed = new Set<string>();
  readonly commitments = new Set<string>();
  readonly problems: string[] = [];
  checked = 0;

  constructor(room: Room<unknown, DrawRoomView>) {
    room.onMessage("seedRevealed", (seed: RevealedSeedMessage) => this.revealed.add(seed.serverSeed));
    room.onMessage("events", (events: unknown) => this.check(JSON.stringify(events)));
    room.onMessage("roundSettled", (message: unknown) => this.check(JSON.stringify(message)));
    room.onStateChange((state) => {
      // The state lists a revealed seed before its message arrives: it counts once it opens an earlier commitment.
      for (const seed of state.revealedSeeds ?? []) {
        const earlier = this.commitments.has(seed.serverSeedHash) && seed.serverSeedHash !== state.serverSeedHash;
        if (earlier && verifyCommitment(seed.serverSeed, seed.serverSeedHash)) {
          this.revealed.add(seed.serverSeed);
        }
      }
      this.check(JSON.stringify(state));
    });
  }

  private check(json: string) {
    this.checked += 1;
    for (const match of json.matchAll(/"serverSeedHash":"([0-9a-f]{64})"/g)) this.commitments.add(match[1]!);
    for (const hex of json.match(/[0-9a-f]{64}/g) ?? []) {
      if (!this.commitments.has(hex) && !this.revealed.has(hex)) {
        this.problems.push(`a 64-hex value that is no commitment reached the client: ${hex.slice(0, 8)}…`);
      }
    }
  }
}

describe.skipIf(!hasPostgres)("draws rooms played by bots over real SDK clients", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServerOnPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it(`plays ${ROOMS * ROUNDS_PER_ROOM} rounds in ${ROOMS} quick-match rooms: the ledger balances, each seat wins half, every draw recomputes from its revealed seed`, async () => {
    const started = Date.now();
    const rooms = await Promise.all(
      Array.from({ length: ROOMS }, async (_, r) => {
        const players = await Promise.all([0, 1].map((s) => signInGuest(server.url, `Drawer ${r} ${s}`)));
        // Each room has its own stake, so quick match pairs exactly these two players.
        const options = {
          mode: "quick",
          stakeMinor: 100 + 100 * r,
          maxRounds: ROUNDS_PER_ROOM,
          drawSeconds: 5,
          patchRateMs: 5,
        };
        const first = await sdkClient(server.url, players[0]!.token).joinOrCreate<DrawRoomView>("draws", options);
        const second = await sdkClient(server.url, players[1]!.token).joinOrCreate<DrawRoomView>("draws", options);
        expect(second.roomId).toBe(first.roomId);
        const watch = new SeedLeakWatch(first);
        const bots = [first, second].map(
          (room, s) =>
            new DrawBot(room, {
              playerId: players[s]!.player.id,
              stakeMinor: (view: DrawRoomView) => BigInt(view.minStakeMinor),
              maxRounds: ROUNDS_PER_ROOM,
              // One player asks for a fresh seed now and then; the match's end reveals the last one.
              rotateEvery: s === 0 ? 97 : undefined,
            }),
        );
        return { players, rooms: [first, second], bots, watch };
      }),
    );

    const finished = () => rooms.every((r) => r.bots.every((bot) => bot.done && bot.allVerified));
    const stuck = () => rooms.some((r) => r.bots.some((bot) => bot.problems.length > 0));
    // A bot in trouble ends the wait early: its problems are the failure to report.
    await waitFor(() => finished() || stuck(), `${ROUNDS_PER_ROOM} verified rounds in every room`, 280_000, 100);
    const wallSeconds = (Date.now() - started) / 1000;
    for (const room of rooms) for (const client of room.rooms) await client.leave();

    let rounds = 0;
    let decided = 0;
    let pushes = 0;
    let attempts = 0;
    let verified = 0;
    const seatWins = [0, 0];
    for (const room of rooms) {
      const [bot0, bot1] = room.bots as [DrawBot, DrawBot];
      expect(bot0.problems).toEqual([]);
      expect(bot1.problems).toEqual([]);
      expect(room.watch.problems).toEqual([]);
      expect(room.watch.checked).toBeGreaterThan(ROUNDS_PER_ROOM);
      expect(bot0.rounds).toBe(ROUNDS_PER_ROOM);
      expect(bot1.rounds).toBe(ROUNDS_PER_ROOM);
      // Both players saw the same rounds, and every attempt either saw was recomputed from its revealed seed.
      expect(bot1.seatWins).toEqual(bot0.seatWins);
      for (const bot of room.bots) {
        expect(bot.allVerified).toBe(true);
        expect(bot.reveals).toBeGreaterThan(0);
      }
      rounds += bot0.rounds;
      decided += bot0.decided;
      pushes += bot0.pushes;
      attempts += bot0.attempts;
      verified += bot0.verified + bot1.verified;
      seatWins[0] += bot0.seatWins[0];
      seatWins[1] += bot0.seatWins[1];
      for (const [s, player] of room.players.entries()) {
        const balance = await walletBalance(server.url, player.token);
        expect(balance).toBe(STARTING_GRANT_MINOR + room.bots[s]!.netMinor);
      }
    }
    expect(rounds).toBe(ROOMS * ROUNDS_PER_ROOM);
    expect(verified).toBe(2 * attempts);

    // Each decided round is a fair coin between the seats: p = 1/2, standard error sqrt(p(1-p)/n).
    const standardError = Math.sqrt(0.25 / decided);
    const seat0Rate = seatWins[0]! / decided;
    expect(seatWins[0]! + seatWins[1]!).toBe(decided);
    expect(Math.abs(seat0Rate - 0.5)).toBeLessThan(WIN_RATE_BOUND_SE * standardError);

    const audit = await fetch(`${server.url}/admin/audit`, { headers: server.operator });
    const report = (await audit.json()) as { ok: boolean };
    expect(report.ok, JSON.stringify(report)).toBe(true);

    console.info(
      `draws: ${rounds} rounds (${attempts} draw attempts, ${decided} decided, ${pushes} pushes) in ${ROOMS} rooms ` +
        `in ${wallSeconds.toFixed(1)} s; seat 0 won ${(seat0Rate * 100).toFixed(2)}% ` +
        `(bound ±${(WIN_RATE_BOUND_SE * standardError * 100).toFixed(2)} points)`,
    );
  }, 300_000);
});
