import type { Room } from "@colyseus/sdk";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DrawBot, type DrawRoomView } from "../../loadtest/bots/draw-bot.ts";
import { TournamentBot } from "../../loadtest/bots/tournament-bot.ts";
import { freePort } from "../support/free-port.ts";
import { signInGuest } from "../support/game-server.ts";
import { killSpawnedServers, type ServerProcess, spawnServer, waitForOutput } from "../support/server-process.ts";
import {
  createScratchDatabase,
  postgresAvailable,
  REDIS_TEST_URL,
  redisAvailable,
  type ScratchDatabase,
} from "../support/services.ts";
import { waitFor } from "../support/wait.ts";
import { createTournament, expectedPrizes, OPERATOR, runAuditCli, tournamentDetail, untilStatus } from "./support.ts";

const ready = (await postgresAvailable()) && (await redisAvailable());
const PLAYERS = 8;
const FEE_MINOR = 3_000n;
/** The Redis database the suite may flush: the one TEST_REDIS_URL names, else one of its own (12). */
const REDIS_URL = (() => {
  const url = new URL(REDIS_TEST_URL);
  if (url.pathname === "" || url.pathname === "/") url.pathname = "/12";
  return url.toString();
})();
const PRIZE_BPS = [6000, 3000, 1000];

interface Node {
  process: ServerProcess;
  url: string;
}

describe.skipIf(!ready)("the node driving a tournament is killed in round 2", () => {
  let scratch: ScratchDatabase;
  let db: pg.Client;
  const nodes: Node[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase("ts_failover");
    const redis = new Redis(REDIS_URL);
    await redis.flushdb();
    redis.disconnect();
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const process = spawnServer({
        PORT: String(port),
        PUBLIC_ADDRESS: `127.0.0.1:${port}`,
        DATABASE_URL: scratch.url,
        REDIS_URL,
        JWT_SECRET: "a-secret-shared-by-every-node-of-the-cluster",
        MONITOR_USER: OPERATOR.user,
        MONITOR_PASSWORD: OPERATOR.password,
        PHYSICS_BACKEND: "cpu",
        TOURNAMENT_TICK_MS: "50",
        TOURNAMENT_LEASE_MS: "1500",
        TOURNAMENT_WALLET_LEASE_MS: "20000",
        ROUND_LEASE_MS: "3000",
        SHUTDOWN_DEADLINE_MS: "2000",
      });
      await waitForOutput(process, /server listening/);
      nodes.push({ process, url: `http://127.0.0.1:${port}` });
    }
    db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
  }, 90_000);
  afterAll(async () => {
    await db?.end();
    for (const node of nodes) node.process.child.kill("SIGTERM");
    await Promise.race([
      Promise.all(nodes.map((node) => node.process.exited)),
      new Promise((resolve) => setTimeout(resolve, 10_000)),
    ]);
    killSpawnedServers();
    await scratch?.drop();
  });

  async function leaseOwnerPid(tournamentId: string): Promise<number | null> {
    const { rows } = await db.query("select lease_owner from tournaments where id = $1", [tournamentId]);
    const owner = rows[0]?.lease_owner as string | null;
    return owner ? Number(owner.split(":")[2]) : null;
  }

  it("another node resumes it, running matches finish, it completes and nothing is paid twice", async () => {
    const t = await createTournament(nodes[0]!.url, {
      name: "Failover",
      game: "draws",
      bestOf: 5,
      entryFeeMinor: Number(FEE_MINOR),
      seatsMin: 4,
      seatsMax: PLAYERS,
      prizeBps: PRIZE_BPS,
      startWhenFull: true,
      noShowSeconds: 15,
      matchOptions: { reconnectSeconds: 2, drawSeconds: 1, patchRateMs: 20, stakeMinor: 100 },
    });
    await waitFor(async () => (await leaseOwnerPid(t.id)) !== null, "a driver", 10_000);
    const driverPid = (await leaseOwnerPid(t.id))!;
    const driver = nodes.find((node) => node.process.child.pid === driverPid)!;
    const survivor = nodes.find((node) => node !== driver)!;
    expect(driver).toBeDefined();

    const guests = [];
    for (let i = 0; i < PLAYERS; i++) guests.push(await signInGuest(survivor.url, `Fo ${i}`));
    const bots = guests.map(
      (guest) =>
        new TournamentBot({
          endpoint: survivor.url,
          token: guest.token,
          playerId: guest.player.id,
          tournamentId: t.id,
          playMatch: (room: Room) =>
            void new DrawBot(room, {
              playerId: guest.player.id,
              stakeMinor: (view: DrawRoomView) => BigInt(view.minStakeMinor),
            }),
        }),
    );
    for (const bot of bots) {
      await bot.connect();
      bot.register();
    }
    const liveInRound = async (round: number) =>
      (
        await db.query(
          "select match_id, room_id, attempt from tournament_matches where tournament_id = $1 and round = $2 and status = 'live'",
          [t.id, round],
        )
      ).rows as { match_id: number; room_id: string; attempt: number }[];
    await waitFor(async () => (await liveInRound(2)).length > 0, "round 2 under way", 60_000);
    const liveAtKill = await liveInRound(2);
    driver.process.child.kill("SIGKILL");
    await driver.process.exited;

    await untilStatus(survivor.url, t.id, "finished", 60_000).catch(async (error: Error) => {
      const { rows } = await db.query(
        "select match_id, round, status, attempt, room_id, reason from tournament_matches where tournament_id = $1 order by match_id",
        [t.id],
      );
      const log = survivor.process
        .output()
        .split("\n")
        .filter((line) => /tournament|match/i.test(line))
        .slice(-40);
      throw new Error(`${error.message}\nmatches: ${JSON.stringify(rows)}\nsurvivor:\n${log.join("\n")}`);
    });
    for (const bot of bots) bot.stop();
    expect(survivor.process.output()).toMatch(/tournament finished: prizes paid/);

    // Each round-2 match live at the kill finished: in its own room if that room's node lived, else played again.
    for (const match of liveAtKill) {
      const { rows } = await db.query(
        "select room_id, attempt, status, winner_player_id from tournament_matches where tournament_id = $1 and match_id = $2",
        [t.id, match.match_id],
      );
      expect(rows[0]!.status).toBe("finished");
      expect(rows[0]!.winner_player_id).not.toBeNull();
      if (rows[0]!.room_id === match.room_id) expect(rows[0]!.attempt).toBe(match.attempt);
      else expect(rows[0]!.attempt).toBeGreaterThan(match.attempt);
    }

    // Money: one entry fee each, the prizes once, by place, the rake-free pool emptied exactly.
    const roundId = `tournament:${t.id}`;
    const { rows: fees } = await db.query(
      "select count(*)::int as n, sum(amount_minor)::bigint as total from wallet_transfers where round_id = $1 and kind = 'entry_fee'",
      [roundId],
    );
    expect(fees[0]).toEqual({ n: PLAYERS, total: (BigInt(PLAYERS) * FEE_MINOR).toString() });
    const { rows: prizes } = await db.query(
      "select a.player_id, t.amount_minor from wallet_transfers t join wallet_accounts a on a.id = t.credit_account_id where t.round_id = $1 and t.kind = 'prize'",
      [roundId],
    );
    const final = await tournamentDetail(survivor.url, t.id);
    const expected = expectedPrizes(BigInt(PLAYERS) * FEE_MINOR, 0, PRIZE_BPS);
    expect(prizes).toHaveLength(PRIZE_BPS.length);
    for (const row of prizes) {
      const place = final.entries.find((e) => e.playerId === row.player_id)!.place!;
      expect(BigInt(row.amount_minor)).toBe(expected[place - 1]);
    }
    expect(final.prizePoolMinor).toBe("0");
    const { rows: round } = await db.query("select status from wallet_rounds where id = $1", [roundId]);
    expect(round[0]!.status).toBe("settled");
    const audit = await runAuditCli(scratch.url);
    expect(audit.code, audit.output).toBe(0);
  }, 240_000);
});
