// Wallet ledger benchmark: stake-then-settle rounds against the real Postgres at 1, 8 and 32 connections, next to
// pgbench's built-in TPC-B-like script on the same server with the same client counts.
//
//   npm run bench:wallet                      (DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
//   BENCH_SECONDS=4 BENCH_SLICES=5 BENCH_CLIENTS=8 npm run bench:wallet
//
// The machine may be shared, so the two are measured in alternating slices (wallet, pgbench, wallet, ...) of
// BENCH_SECONDS each, BENCH_SLICES times per client count, and each side's slices are added up: load that comes and
// goes hits both alike.
//
// It creates its own scratch database (wallet tables and pgbench tables side by side) and drops it at the end.
// One wallet cycle is three transactions, each one ledger call: open a round, stake 1.00, settle it (0.95 back to
// the player, 0.05 rake to the house). The ratio compares wallet transactions per second with pgbench's.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import pg from "pg";
import { openDatabase } from "../../src/db/database.ts";
import { players } from "../../src/db/schema/index.ts";
import { Wallet } from "../../src/wallet/wallet.ts";

const run = promisify(execFile);
const ADMIN_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const SLICES = Number(process.env.BENCH_SLICES ?? 3);
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? "1,8,32").split(",").map(Number);
/** pgbench's scale: at least the largest client count, so that its branches row is not the bottleneck. */
const PGBENCH_SCALE = Math.max(...CLIENT_COUNTS);
const STAKE_MINOR = 100n;
const WARM_ROUNDS = 5_000;
const BENCH_WALLET_SETTINGS = {
  currency: "DEMO",
  currencyScale: 2,
  startingGrantMinor: 0n,
  topUpMinor: 1n,
  topUpCooldownSeconds: 0,
  roundLeaseMs: 60_000,
};
const RAKE_MINOR = 5n;

/** What one side did over its slices: transactions, transfers, busy seconds and every latency. */
interface Tally {
  transactions: number;
  transfers: number;
  seconds: number;
  latenciesMs: number[];
  stakeMs: number[];
  settleMs: number[];
  /** CPU time of this (client) process while the wallet side ran. */
  clientCpuMs: number;
}

const emptyTally = (): Tally => ({
  transactions: 0,
  transfers: 0,
  seconds: 0,
  latenciesMs: [],
  stakeMs: [],
  settleMs: [],
  clientCpuMs: 0,
});

function percentile(sortedMs: number[], fraction: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor(fraction * sortedMs.length))]!;
}

async function benchWallet(wallet: Wallet, clients: number, playerIds: string[], tally: Tally): Promise<void> {
  const timed = async <T>(bucket: number[], call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await call();
    const elapsedMs = performance.now() - started;
    bucket.push(elapsedMs);
    tally.latenciesMs.push(elapsedMs);
    return result;
  };
  const deadline = performance.now() + SECONDS * 1000;
  const tag = randomBytes(3).toString("hex");
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const openMs: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, worker) => {
      const playerId = playerIds[worker]!;
      for (let cycle = 0; performance.now() < deadline; cycle++) {
        const roundId = `bench-${tag}-${worker}-${cycle}`;
        await timed(openMs, () => wallet.openRound({ roundId, game: "draws", ownerNodeId: "bench" }));
        await timed(tally.stakeMs, () =>
          wallet.stake({ key: `${roundId}:stake`, roundId, playerId, amountMinor: STAKE_MINOR }),
        );
        const settled = await timed(tally.settleMs, () =>
          wallet.settle({
            key: `${roundId}:settle`,
            roundId,
            outcome: { payouts: [{ playerId, amountMinor: STAKE_MINOR - RAKE_MINOR }], rakeMinor: RAKE_MINOR },
          }),
        );
        tally.transactions += 3;
        tally.transfers += 1 + settled.transfers.length;
      }
    }),
  );
  tally.seconds += (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  tally.clientCpuMs += (cpu.user + cpu.system) / 1000;
}

async function benchPgbench(url: string, clients: number, tally: Tally): Promise<void> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), "pgbench-"));
  try {
    const { stdout } = await run(
      "pgbench",
      [
        "-c",
        String(clients),
        "-j",
        String(clients),
        "-T",
        String(SECONDS),
        "-l",
        "--log-prefix",
        path.join(logDir, "tx"),
        url,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
    // Per-transaction log lines: client_id transaction_no time_us script_no time_epoch time_us_part
    let logged = 0;
    for (const file of readdirSync(logDir)) {
      for (const line of readFileSync(path.join(logDir, file), "utf8").split("\n")) {
        const fields = line.split(" ");
        if (fields.length < 3) continue;
        tally.latenciesMs.push(Number(fields[2]) / 1000);
        logged++;
      }
    }
    tally.transactions += logged;
    tally.seconds += logged / tps;
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const name = `ts_bench_wallet_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const benchUrl = url.toString();
  try {
    const setup = await openDatabase({ url: benchUrl, dataDir: "unused", poolSize: 2 });
    await setup.migrate();
    const maxClients = Math.max(...CLIENT_COUNTS);
    const rows = await setup.db
      .insert(players)
      .values(Array.from({ length: maxClients }, (_, index) => ({ displayName: `bench-${index}` })))
      .returning({ id: players.id });
    const playerIds = rows.map((row) => row.id);
    const funding = new Wallet(setup.db, { ...BENCH_WALLET_SETTINGS, startingGrantMinor: 1_000_000_000n });
    for (const playerId of playerIds) await funding.ensurePlayerWallet(playerId);
    // Like pgbench -i: start from a ledger with some history and fresh planner statistics, not from empty tables.
    console.log(`warming the ledger with ${WARM_ROUNDS} rounds ...`);
    await setup.db.execute(
      sql.raw(`do $$
        declare player uuid := '${playerIds[0]}';
        begin
          for round in 1 .. ${WARM_ROUNDS} loop
            perform wallet_open_round('warm-' || round, 'round', 'draws', 'bench', 60000);
            perform wallet_stake('warm-' || round || ':stake', 'warm-' || round, player, 100);
            perform wallet_settle('warm-' || round || ':settle', 'warm-' || round, jsonb_build_object(
              'payouts', jsonb_build_array(jsonb_build_object('player_id', player, 'amount_minor', '95')),
              'house_minor', '0', 'rake_minor', '5'));
          end loop;
        end $$`),
    );
    await setup.db.execute(sql.raw("analyze"));
    await setup.close();

    console.log(`pgbench -i -s ${PGBENCH_SCALE} (${PGBENCH_SCALE * 100_000} accounts) ...`);
    await run("pgbench", ["-i", "-q", "-s", String(PGBENCH_SCALE), benchUrl], { maxBuffer: 16 * 1024 * 1024 });

    const machine = `${os.cpus().length}-core ${os.arch()}, ${os.cpus()[0]?.model ?? "unknown CPU"}`;
    console.log(
      `\nwallet stake-then-settle vs pgbench TPC-B-like (scale ${PGBENCH_SCALE}), ${SLICES} alternating slices of ${SECONDS} s each, ${machine}, load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
    const header = [
      "clients",
      "wallet tx/s",
      "transfers/s",
      "p50 ms",
      "p99 ms",
      "pgbench tps",
      "p50 ms",
      "p99 ms",
      "ratio",
    ];
    const table: string[][] = [];
    for (const clients of CLIENT_COUNTS) {
      const database = await openDatabase({ url: benchUrl, dataDir: "unused", poolSize: clients });
      const wallet = new Wallet(database.db, BENCH_WALLET_SETTINGS);
      const walletTally = emptyTally();
      const pgbenchTally = emptyTally();
      for (let slice = 0; slice < SLICES; slice++) {
        await benchWallet(wallet, clients, playerIds, walletTally);
        await benchPgbench(benchUrl, clients, pgbenchTally);
      }
      await database.close();
      const walletTps = walletTally.transactions / walletTally.seconds;
      const pgbenchTps = pgbenchTally.transactions / pgbenchTally.seconds;
      const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
      const walletMs = sorted(walletTally.latenciesMs);
      const pgbenchMs = sorted(pgbenchTally.latenciesMs);
      table.push([
        String(clients),
        walletTps.toFixed(0),
        (walletTally.transfers / walletTally.seconds).toFixed(0),
        percentile(walletMs, 0.5).toFixed(2),
        percentile(walletMs, 0.99).toFixed(2),
        pgbenchTps.toFixed(0),
        percentile(pgbenchMs, 0.5).toFixed(2),
        percentile(pgbenchMs, 0.99).toFixed(2),
        (walletTps / pgbenchTps).toFixed(2),
      ]);
      const stakeMs = sorted(walletTally.stakeMs);
      const settleMs = sorted(walletTally.settleMs);
      console.log(
        `  ${clients} clients: ${stakeMs.length} rounds; stake p50 ${percentile(stakeMs, 0.5).toFixed(2)} ` +
          `p99 ${percentile(stakeMs, 0.99).toFixed(2)} ms, settle p50 ${percentile(settleMs, 0.5).toFixed(2)} ` +
          `p99 ${percentile(settleMs, 0.99).toFixed(2)} ms; client CPU ${(walletTally.clientCpuMs / walletTally.transactions).toFixed(3)} ms ` +
          `per transaction; pgbench ${pgbenchTally.transactions} transactions`,
      );
    }
    const widths = header.map((title, column) => Math.max(title.length, ...table.map((row) => row[column]!.length)));
    const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padStart(widths[column]!)).join(" | ")} |`;
    console.log(`\n${line(header)}\n|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
    for (const row of table) console.log(line(row));
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
