import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededUniform } from "../../simulation/rng/index.ts";
import { WalletError, type WalletErrorCode } from "../../src/wallet/errors.ts";
import type { RoundOutcome } from "../../src/wallet/wallet.ts";
import { postgresAvailable } from "../support/services.ts";
import { leasesLapsed, openWalletTestContext, type WalletTestContext } from "./support.ts";

const SEED = Number(process.env.WALLET_STRESS_SEED ?? 20_261_122);
const PLAYERS = 50;
const OPERATIONS_MIN = 10_000;
const BATCH_SIZE = 24;
const LIVE_LEASE_MS = 120_000;
const ABANDONED_LEASE_MS = 2_000;

/** Seeded draws, so that a failing run can be replayed with WALLET_STRESS_SEED. */
function prng(seed: number) {
  const next = seededUniform(seed);
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

interface ModelRound {
  id: string;
  abandoned: boolean;
  /** Successful stakes by player, as the ledger should hold them in escrow. */
  stakes: Map<string, bigint>;
  busy: boolean;
  closed: boolean;
}

interface StakeRequest {
  key: string;
  roundId: string;
  playerId: string;
  amountMinor: bigint;
}

describe.skipIf(!(await postgresAvailable()))("randomized stress with injected failures", () => {
  let context: WalletTestContext;
  let aborter: pg.Pool;
  /** Its own connection: the main pool may be waiting on the very locks the doomed transaction holds. */
  let terminator: pg.Client;

  beforeAll(async () => {
    context = await openWalletTestContext({ poolSize: 8, settings: { topUpCooldownSeconds: 1 } });
    aborter = new pg.Pool({ connectionString: context.scratch.url, max: 2 });
    aborter.on("error", () => {});
    // A terminated connection reports its end as an error event; it is the point of the exercise.
    aborter.on("connect", (client) => client.on("error", () => {}));
    terminator = new pg.Client({ connectionString: context.scratch.url });
    await terminator.connect();
  });
  afterAll(async () => {
    await terminator?.end();
    await aborter?.end();
    await context?.close();
  });

  it("keeps the audit green and every balance equal to its ledger rows after 10,000 mixed operations", async () => {
    const { wallet } = context;
    const random = prng(SEED);
    const players = await context.createPlayers(PLAYERS);
    await Promise.all(players.map((playerId) => wallet.ensurePlayerWallet(playerId)));

    const rounds: ModelRound[] = [];
    const completed: StakeRequest[] = [];
    const abortedNeverRetried = new Set<string>();
    const abortedToRetry: StakeRequest[] = [];
    const unexpected: string[] = [];
    const counts = new Map<string, number>();
    let operations = 0;
    let sequence = 0;
    /** Rounds a planned operation of the current batch stakes into; they are not closed in the same batch. */
    const touched = new Set<string>();

    const expectOutcome = async (name: string, call: () => Promise<unknown>, allowed: WalletErrorCode[] = []) => {
      operations++;
      try {
        const result = await call();
        counts.set(name, (counts.get(name) ?? 0) + 1);
        return result;
      } catch (error) {
        const code = error instanceof WalletError ? error.code : undefined;
        counts.set(`${name}:${code ?? "error"}`, (counts.get(`${name}:${code ?? "error"}`) ?? 0) + 1);
        if (!code || !allowed.includes(code)) {
          const cause = error instanceof Error && error.cause ? ` (${String(error.cause)})` : "";
          unexpected.push(`${name}: ${String(error)}${cause}`);
        }
        return undefined;
      }
    };

    const openRounds = () => rounds.filter((round) => !round.closed && !round.busy && !round.abandoned);

    const stake = (request: StakeRequest, round: ModelRound) =>
      expectOutcome("stake", async () => {
        const result = await wallet.stake(request);
        if (!result.replayed) {
          round.stakes.set(request.playerId, (round.stakes.get(request.playerId) ?? 0n) + request.amountMinor);
          completed.push(request);
        }
        return result;
      }, ["INSUFFICIENT_FUNDS"]);

    const outcomeFor = (round: ModelRound): RoundOutcome => {
      const potMinor = [...round.stakes.values()].reduce((sum, amount) => sum + amount, 0n);
      const winners = [...round.stakes.keys()];
      if (winners.length === 0) return { payouts: [] };
      const rakeMinor = potMinor / BigInt(random.int(10, 40));
      const first = random.pick(winners);
      const second = random.pick(winners);
      const firstShareMinor = ((potMinor - rakeMinor) * BigInt(random.int(0, 100))) / 100n;
      if (first === second) return { payouts: [{ playerId: first, amountMinor: potMinor - rakeMinor }], rakeMinor };
      return {
        payouts: [
          { playerId: first, amountMinor: firstShareMinor },
          { playerId: second, amountMinor: potMinor - rakeMinor - firstShareMinor },
        ],
        rakeMinor,
      };
    };

    /** BEGIN, the ledger call, then ROLLBACK or a killed connection: the work is lost and nothing may move. */
    const abortMidway = async (request: StakeRequest, how: "rollback" | "terminate") => {
      operations++;
      const client = await aborter.connect();
      let broken = false;
      try {
        await client.query("begin");
        await client.query("select * from wallet_stake($1, $2, $3::uuid, $4::bigint)", [
          request.key,
          request.roundId,
          request.playerId,
          request.amountMinor.toString(),
        ]);
        if (how === "rollback") {
          await client.query("rollback");
        } else {
          const pid = (await client.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
          broken = true;
          await terminator.query("select pg_terminate_backend($1)", [pid]);
          await client.query("select 1").catch(() => {});
        }
      } catch {
        // Insufficient funds inside the aborted transaction is as good as a rollback.
        await client.query("rollback").catch(() => {});
      } finally {
        client.release(broken);
      }
      if (random.next() < 0.5) abortedToRetry.push(request);
      else abortedNeverRetried.add(request.key);
    };

    const planOperation = (): (() => Promise<unknown>) | undefined => {
      const roll = random.next();
      const live = openRounds();
      if (live.length < 6 || roll < 0.06) {
        const abandoned = random.next() < 0.15;
        const round: ModelRound = {
          id: `stress-${++sequence}`,
          abandoned: false,
          stakes: new Map(),
          busy: true,
          closed: false,
        };
        rounds.push(round);
        const game = random.pick(["blackjack", "draws", "pool"]);
        // A round of a node that dies: stakes, perhaps its outcome, then no renewals; recovery must close it.
        const doomedStakes = abandoned
          ? Array.from({ length: random.int(1, 3) }, () => ({
              key: `k-${++sequence}`,
              roundId: round.id,
              playerId: random.pick(players),
              amountMinor: BigInt(random.int(1, 3_000)),
            }))
          : [];
        const recordBeforeDeath = random.next() < 0.5;
        return async () => {
          await expectOutcome("openRound", () =>
            wallet.openRound({
              roundId: round.id,
              game,
              ownerNodeId: abandoned ? "node-dead" : "node-live",
              leaseMs: abandoned ? ABANDONED_LEASE_MS : LIVE_LEASE_MS,
            }),
          );
          for (const request of doomedStakes) await stake(request, round);
          if (abandoned && recordBeforeDeath) {
            await expectOutcome("recordOutcome", () =>
              wallet.recordOutcome({ key: `close-${round.id}`, roundId: round.id, outcome: outcomeFor(round) }),
            );
          }
          round.busy = false;
          round.abandoned = abandoned;
        };
      }
      const target = random.pick(live);
      const playerId = random.pick(players);
      const request: StakeRequest = {
        key: `k-${++sequence}`,
        roundId: target.id,
        playerId,
        // Mostly small bets, sometimes one that a player may not afford.
        amountMinor: BigInt(random.next() < 0.12 ? random.int(40_000, 150_000) : random.int(1, 8_000)),
      };
      if (roll < 0.5 || (roll >= 0.56 && roll < 0.64)) touched.add(target.id);
      if (roll < 0.5) return () => stake(request, target);
      if (roll < 0.56) {
        const previous = completed.length > 0 ? random.pick(completed) : undefined;
        if (!previous) return undefined;
        if (random.next() < 0.6) {
          return () =>
            expectOutcome("replaySame", async () => {
              const result = await wallet.stake(previous);
              if (!result.replayed) unexpected.push(`replay of ${previous.key} moved money`);
            });
        }
        return () =>
          expectOutcome(
            "replayDifferent",
            () => wallet.stake({ ...previous, amountMinor: previous.amountMinor + 1n }),
            ["IDEMPOTENCY_CONFLICT"],
          );
      }
      if (roll < 0.6) {
        // The same request twice at once: one moves money, the other replays it.
        return async () => {
          await Promise.all([stake(request, target), stake(request, target)]);
        };
      }
      if (roll < 0.64) return () => abortMidway(request, random.next() < 0.85 ? "rollback" : "terminate");
      if (roll < 0.67) {
        const retry = abortedToRetry.shift();
        if (!retry) return undefined;
        const retryRound = rounds.find((candidate) => candidate.id === retry.roundId)!;
        if (retryRound.closed || retryRound.busy || retryRound.abandoned) {
          abortedNeverRetried.add(retry.key);
          return undefined;
        }
        touched.add(retryRound.id);
        return () => stake(retry, retryRound);
      }
      if (roll < 0.71) {
        return () =>
          expectOutcome("grant", () => wallet.grant({ key: `g-${++sequence}`, playerId, amountMinor: 20_000n }));
      }
      if (roll < 0.74) {
        return () =>
          expectOutcome("topUp", () => wallet.topUp({ playerId, thresholdMinor: 5_000n }), [
            "TOPUP_NOT_NEEDED",
            "TOPUP_COOLDOWN",
          ]);
      }
      // Close a round: nothing else touches it in this batch, so the model's escrow is exact.
      const closing = live.filter((candidate) => !touched.has(candidate.id));
      if (closing.length === 0) return undefined;
      const round = random.pick(closing);
      round.busy = true;
      const key = `close-${round.id}`;
      const outcome = outcomeFor(round);
      const closeRoll = random.next();
      return async () => {
        if (closeRoll < 0.15) {
          await expectOutcome("refund", () => wallet.refund({ key, roundId: round.id }));
        } else if (closeRoll < 0.3) {
          await expectOutcome("recordOutcome", () => wallet.recordOutcome({ key, roundId: round.id, outcome }));
          await expectOutcome("settleRecorded", () => wallet.settle({ key, roundId: round.id }));
        } else if (closeRoll < 0.4) {
          // A settlement aborted mid-way leaves the round open; the real one follows.
          operations++;
          const client = await aborter.connect();
          try {
            await client.query("begin");
            await client.query("select * from wallet_settle($1, $2, null)", [`${key}-aborted`, round.id]);
          } catch {
            // wallet_settle without an outcome is refused here (NO_OUTCOME); either way nothing commits.
          } finally {
            await client.query("rollback").catch(() => {});
            client.release();
          }
          await expectOutcome("settle", () => wallet.settle({ key, roundId: round.id, outcome }));
        } else {
          await expectOutcome("settle", () => wallet.settle({ key, roundId: round.id, outcome }));
          if (random.next() < 0.3) {
            await expectOutcome("replaySettle", async () => {
              const replay = await wallet.settle({ key, roundId: round.id, outcome });
              if (!replay.replayed) unexpected.push(`replayed settlement of ${round.id} moved money`);
            });
          }
        }
        round.closed = true;
        round.busy = false;
      };
    };

    const started = Date.now();
    let batches = 0;
    while (operations < OPERATIONS_MIN) {
      const batch: Array<() => Promise<unknown>> = [];
      touched.clear();
      while (batch.length < BATCH_SIZE) {
        const operation = planOperation();
        if (operation) batch.push(operation);
      }
      await Promise.all(batch.map((operation) => operation()));
      if (++batches % 25 === 0) {
        const report = await wallet.recoverExpiredRounds();
        operations++;
        for (const roundId of [...report.refunded, ...report.settled]) {
          rounds.find((round) => round.id === roundId)!.closed = true;
        }
        counts.set("recovered:refunded", (counts.get("recovered:refunded") ?? 0) + report.refunded.length);
        counts.set("recovered:settled", (counts.get("recovered:settled") ?? 0) + report.settled.length);
      }
    }

    // Wind down: close what the live node still runs, let the dead node's leases lapse, and recover them.
    for (const round of rounds.filter((candidate) => !candidate.closed && !candidate.abandoned)) {
      await expectOutcome("refund", () => wallet.refund({ key: `final-${round.id}`, roundId: round.id }));
    }
    await leasesLapsed(context.database, undefined, ABANDONED_LEASE_MS + 10_000);
    await wallet.recoverExpiredRounds();
    const elapsedMs = Date.now() - started;

    expect(unexpected).toEqual([]);
    expect(operations).toBeGreaterThanOrEqual(OPERATIONS_MIN);
    const open = await context.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from wallet_rounds where status = 'open'`,
    );
    expect(open.rows[0]!.n).toBe(0);

    const audit = await wallet.audit();
    expect(audit.checks.filter((check) => !check.ok)).toEqual([]);

    const drift = await context.database.db.execute<{ player_id: string; balance: string; ledger: string }>(sql`
        select a.player_id, a.balance_minor::text as balance,
               (coalesce((select sum(amount_minor) from wallet_transfers where credit_account_id = a.id), 0)
              - coalesce((select sum(amount_minor) from wallet_transfers where debit_account_id = a.id), 0))::text
                 as ledger
          from wallet_accounts a where a.kind = 'player'`);
    expect(drift.rows).toHaveLength(PLAYERS);
    for (const row of drift.rows) expect(row.balance).toBe(row.ledger);

    const lost = await context.database.db.execute<{ idempotency_key: string }>(
      sql`select idempotency_key from wallet_transfers where idempotency_key = any(${`{${[...abortedNeverRetried].join(",")}}`}::text[])`,
    );
    expect(lost.rows).toEqual([]);
    expect(counts.get("stake") ?? 0).toBeGreaterThan(1_000);
    expect(counts.get("stake:INSUFFICIENT_FUNDS") ?? 0).toBeGreaterThan(0);
    expect(counts.get("replayDifferent:IDEMPOTENCY_CONFLICT") ?? 0).toBeGreaterThan(0);
    expect(counts.get("recovered:refunded") ?? 0).toBeGreaterThan(0);
    expect(counts.get("recovered:settled") ?? 0).toBeGreaterThan(0);
    console.info(
      `wallet stress: ${operations} operations in ${elapsedMs} ms (seed ${SEED}):`,
      Object.fromEntries([...counts.entries()].sort()),
    );
  }, 120_000);
});
