import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Room } from "@colyseus/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MatchOverMessage, PoolBot } from "../../loadtest/bots/pool-bot-client.ts";
import { splitPot } from "../../simulation/money/pot.ts";
import type { PoolReplay } from "../../src/replays/format.ts";
import { backendReplaySimulator } from "../../src/replays/replay-simulator.ts";
import { replayPoolMatch } from "../../src/replays/verify.ts";
import {
  sdkClient,
  signInGuest,
  startTestServer,
  TEST_JWT_SECRET,
  type TestServer,
  walletBalance,
} from "../support/game-server.ts";
import { createScratchDatabase, postgresAvailable, type ScratchDatabase } from "../support/services.ts";
import { waitFor } from "../support/wait.ts";

const hasPostgres = await postgresAvailable();
const MATCHES = Number(process.env.POOL_MATCHES ?? 8);
const STARTING_GRANT_MINOR = 1_000_000n;
const RAKE_BPS = 500;

/** Every `shot` message a client got, as JSON, in order. */
function recordShots(room: Room): string[] {
  const shots: string[] = [];
  room.onMessage("shot", (message: unknown) => shots.push(JSON.stringify(message)));
  return shots;
}

// The matches must replay bit for bit on the backend that simulated them. Only the CPU backend runs here: with the
// bots, the server and a lavapipe device in one test process, WebGPU matches lose SDK connections now and then.
const BACKENDS = [{ backend: "cpu", matchCount: MATCHES, skip: !hasPostgres }] as const;

for (const { backend, matchCount, skip } of BACKENDS)
  describe.skipIf(skip)(`pool matches played to the end by two SDK bots, physics on ${backend}`, () => {
    let scratch: ScratchDatabase;
    let server: TestServer;
    beforeAll(async () => {
      scratch = await createScratchDatabase();
      server = await startTestServer({ DATABASE_URL: scratch.url, PHYSICS_BACKEND: backend });
    });
    afterAll(async () => {
      await server?.stop();
      await scratch?.drop();
    });

    it(`plays ${matchCount} quick matches with a spectator each: a winner, settlement with rake, a sound ledger, replays that reproduce`, async () => {
      const started = Date.now();
      const matches = await Promise.all(
        Array.from({ length: matchCount }, async (_, m) => {
          const players = await Promise.all([0, 1].map((s) => signInGuest(server.url, `Shooter ${m} ${s}`)));
          const watcher = await signInGuest(server.url, `Watcher ${m}`);
          const stakeMinor = 1000 + 100 * m;
          const options = {
            mode: "quick",
            stakeMinor,
            shotClockSeconds: 3,
            matchSeconds: 45,
            animationScale: 0,
            patchRateMs: 10,
          };
          const first = await sdkClient(server.url, players[0]!.token).joinOrCreate("pool", options);
          const second = await sdkClient(server.url, players[1]!.token).joinOrCreate("pool", options);
          expect(second.roomId).toBe(first.roomId);
          const spectator = await sdkClient(server.url, watcher.token).joinById(first.roomId, { spectate: true });
          const shotLogs = [first, second, spectator].map(recordShots);
          let spectatorOver: MatchOverMessage | null = null;
          spectator.onMessage("matchOver", (message: MatchOverMessage) => {
            spectatorOver = message;
          });
          for (const type of ["decision", "timeout", "matchStarted"]) spectator.onMessage(type, () => {});
          spectator.onMessage("error", () => {});
          const bots = [first, second].map((room, s) => new PoolBot(room, { playerId: players[s]!.player.id }));
          return { players, rooms: [first, second, spectator], bots, shotLogs, stakeMinor, over: () => spectatorOver };
        }),
      );

      await waitFor(() => matches.every((m) => m.bots.every((bot) => bot.over)), "every match to end", 120_000, 100);
      const wallSeconds = (Date.now() - started) / 1000;

      const reasons = new Map<string, number>();
      let shots = 0;
      let agreeing = 0;
      for (const match of matches) {
        const [bot0, bot1] = match.bots as [PoolBot, PoolBot];
        expect(bot0.over, "match 0 did not end").not.toBeNull();
        const over = bot0.over!;
        expect(bot1.over).toEqual(over);
        expect(match.over()).toEqual(over);
        expect([0, 1]).toContain(over.winnerSeat);
        reasons.set(over.reason, (reasons.get(over.reason) ?? 0) + 1);

        // Spectators get exactly the animation data the players get.
        expect(match.shotLogs[0]!.length).toBeGreaterThan(0);
        expect(match.shotLogs[2]).toEqual(match.shotLogs[0]);
        expect(match.shotLogs[1]).toEqual(match.shotLogs[0]);

        // The winner is paid the pot less the rake; the loser's stake is gone.
        const split = splitPot([BigInt(match.stakeMinor), BigInt(match.stakeMinor)], {
          rakeBps: RAKE_BPS,
          rakeCapMinor: null,
        });
        expect(over.payoutMinor).toBe(split.payoutMinor.toString());
        expect(over.rakeMinor).toBe(split.rakeMinor.toString());
        for (const [s, player] of match.players.entries()) {
          const expected =
            s === over.winnerSeat
              ? STARTING_GRANT_MINOR - BigInt(match.stakeMinor) + split.payoutMinor
              : STARTING_GRANT_MINOR - BigInt(match.stakeMinor);
          expect(await walletBalance(server.url, player.token)).toBe(expected);
        }

        // The stored replay reproduces the final table and the winner, every shot re-simulated bit for bit.
        const response = await fetch(`${server.url}/replays/${over.matchId}`);
        expect(response.status).toBe(200);
        const replay = (await response.json()) as PoolReplay;
        expect(replay.final.winnerSeat).toBe(over.winnerSeat);
        expect(replay.seeds.serverSeed).toBe(over.serverSeed);
        expect(replay.results.filter((r) => r.kind === "shot").every((r) => r.backend === backend)).toBe(true);
        const simulator = await backendReplaySimulator(replay);
        const report = await replayPoolMatch(replay, { simulate: simulator.simulate });
        await simulator.close();
        expect(report.problems).toEqual([]);
        expect(report.ok).toBe(true);
        expect(report.shots.length).toBe(JSON.parse(`[${match.shotLogs[0]!.join(",")}]`).length);
        shots += report.shots.length;
        agreeing += report.shotsAgreeing;
        for (const bot of match.bots) expect(bot.problems).toEqual([]);
      }
      expect(agreeing).toBe(shots);

      const audit = await fetch(`${server.url}/admin/audit`, { headers: server.operator });
      const auditReport = (await audit.json()) as { ok: boolean };
      expect(auditReport.ok, JSON.stringify(auditReport)).toBe(true);

      // The command-line replay says the same of one stored match.
      const matchId = matches[0]!.bots[0]!.over!.matchId;
      const run = await promisify(execFile)(process.execPath, ["src/cli/replay.ts", matchId, "--json"], {
        env: { ...process.env, DATABASE_URL: scratch.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: "warn" },
      });
      const cli = JSON.parse(run.stdout) as { ok: boolean; shotsAgreeing: number; shots: unknown[] };
      expect(cli.ok).toBe(true);
      expect(cli.shotsAgreeing).toBe(cli.shots.length);

      const missing = await fetch(`${server.url}/replays/no-such-match`);
      expect(missing.status).toBe(404);

      console.info(
        `pool on ${backend}: ${matchCount} matches, ${shots} shots (all ${agreeing} re-simulated identically) in ${wallSeconds.toFixed(1)} s; ` +
          `endings ${JSON.stringify(Object.fromEntries(reasons))}`,
      );
    }, 200_000);
  });
