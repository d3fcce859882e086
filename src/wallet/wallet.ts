import { createHash } from "node:crypto";
import pg from "pg";
import type { WalletConfig } from "../config.ts";
import type { Db } from "../db/database.ts";
import type { RoundKind, RoundStatus, TransferKind } from "../db/schema/wallet.ts";
import { createLogger, type Logger } from "../logging.ts";
import { formatMinor, parseAmountMinor, parseAmountMinorOrZero, toBigInt } from "./amount.ts";
import { type AuditReport, auditLedger } from "./audit.ts";
import { WalletError, walletErrorFrom } from "./errors.ts";
import { checkIdempotencyKey, checkPlayerId, checkRoundId, startingGrantKey } from "./keys.ts";
import { withRetries } from "./retry.ts";

/** One row of the ledger as the wallet reports it. */
export interface Transfer {
  id: bigint;
  idempotencyKey: string;
  kind: TransferKind;
  debitAccountId: bigint;
  creditAccountId: bigint;
  amountMinor: bigint;
  roundId: string | null;
  createdAt: Date;
  /** The player on either side of the transfer, if any. */
  playerId: string | null;
  /** That player's balance after the operation (its current balance on a replay). */
  playerBalanceMinor: bigint | null;
}

/** The result of a single-transfer operation (grant, top-up, stake). */
export interface TransferResult {
  transfer: Transfer;
  /** True when the idempotency key had been used for this same request: nothing moved this time. */
  replayed: boolean;
  balanceMinor: bigint;
}

/** The result of closing a round: every transfer out of (or, for a house cover, into) its escrow. */
export interface CloseResult {
  roundId: string;
  transfers: Transfer[];
  replayed: boolean;
}

export interface Payout {
  playerId: string;
  amountMinor: bigint | number | string;
}

/**
 * How a round ends. The payouts, the house's share and the rake must add up to exactly what the escrow holds.
 * A negative houseMinor is the house covering what the escrow lacks (the players beat a house-banked game).
 */
export interface RoundOutcome {
  payouts: Payout[];
  houseMinor?: bigint | number | string;
  rakeMinor?: bigint | number | string;
}

export interface Round {
  id: string;
  kind: RoundKind;
  game: string;
  ownerNodeId: string;
  leaseExpiresAt: Date;
  status: RoundStatus;
  escrowAccountId: bigint;
  outcomeRecorded: boolean;
  closeKey: string | null;
  closedAt: Date | null;
}

export interface OpenRoundInput {
  roundId: string;
  game: string;
  /** "tournament" rounds hold entry fees in a prize pool and pay prizes; the others hold stakes in an escrow. */
  kind?: RoundKind;
  ownerNodeId: string;
  leaseMs?: number;
}

export interface Balance {
  playerId: string;
  balanceMinor: bigint;
  currency: string;
  currencyScale: number;
  formatted: string;
}

/** A transfer seen from one player's wallet: money in (credit) or out (debit). */
export interface LedgerEntry extends Transfer {
  direction: "credit" | "debit";
}

export interface LedgerPage {
  transfers: LedgerEntry[];
  /** Pass as `beforeId` to read the next (older) page; null on the last page. */
  nextBeforeId: bigint | null;
}

export interface RecoveryReport {
  settled: string[];
  refunded: string[];
  skipped: string[];
  /** Rounds recovery could not close (a ledger invariant broken by hand); the others are not held up by them. */
  failed: Array<{ roundId: string; code: string; message: string }>;
}

export const LEDGER_PAGE_MAX = 100;
export const RECOVERY_BATCH_MAX = 500;
export const LEASE_MS_MIN = 100;
export const LEASE_MS_MAX = 10 * 60_000;
const PAYOUTS_MAX = 64;
/** Rounds whose game this process remembers for its log lines; beyond it a close is logged without the game. */
const GAMES_REMEMBERED_MAX = 20_000;
const NAME_PATTERN = /^[A-Za-z0-9:._\-/@]{1,128}$/;

export type WalletSettings = Pick<
  WalletConfig,
  "currency" | "currencyScale" | "startingGrantMinor" | "topUpMinor" | "topUpCooldownSeconds" | "roundLeaseMs"
>;

/** What a log line says about the operation it comes from: the ids to grep for. */
interface OperationContext {
  op: string;
  playerId?: string;
  roundId?: string;
  key?: string;
  amountMinor?: string;
}

/**
 * The wallet: the only way money moves. Every operation is one ledger function call (one round trip, one
 * transaction), validated here before it reaches the database and retried here on transient contention.
 *
 * The log tells each movement's story, line for line with the ledger: every transfer the ledger posts is one info
 * line `money moved` (transferId, kind, amountMinor, playerId, balanceMinor, roundId, key); a round's start and end
 * are `round opened` and `round settled` / `round refunded` (with its game, and the ids of the transfers that closed
 * it); recovery logs `round recovered` and the transfers it posted. A refusal is a debug line `wallet refused` with
 * its code; a replayed request, which moves nothing, a debug line `replayed`.
 */
export class Wallet {
  readonly #db: Db;
  readonly #driver: DriverClient;
  readonly #log: Logger;
  /** The game of each open round this process opened or recorded, for the line that closes it. */
  readonly #gameOfRound = new Map<string, string>();
  readonly settings: WalletSettings;

  constructor(db: Db, settings: WalletSettings, logger: Logger = createLogger("silent")) {
    this.#db = db;
    this.#driver = driverOf(db);
    this.#log = logger.child({ part: "wallet" });
    this.settings = settings;
  }

  format(amountMinor: bigint): string {
    return formatMinor(amountMinor, this.settings);
  }

  /** Opens the player's wallet and grants the starting credit, both exactly once however often it is called. */
  async ensurePlayerWallet(playerIdInput: string): Promise<Balance> {
    const playerId = checkPlayerId(playerIdInput);
    const grantMinor = this.settings.startingGrantMinor;
    const context = { op: "starting grant", playerId, amountMinor: grantMinor.toString() };
    return this.#operation(context, async () => {
      // Two idempotent steps, each its own transaction: a crash between them leaves a wallet that the next call
      // (every sign-in makes one) completes.
      await this.#call("select wallet_open_player($1::uuid)", [playerId]);
      if (grantMinor > 0n) {
        await this.#single(context, "select * from wallet_grant($1, $2::uuid, $3::bigint)", [
          startingGrantKey(playerId),
          playerId,
          grantMinor.toString(),
        ]);
      }
      return this.balance(playerId);
    });
  }

  /** Demo credit from the mint. */
  async grant(input: {
    key: string;
    playerId: string;
    amountMinor: bigint | number | string;
  }): Promise<TransferResult> {
    const context = { op: "grant", key: String(input.key), playerId: String(input.playerId) };
    return this.#operation(context, () => {
      const key = checkIdempotencyKey(input.key);
      const playerId = checkPlayerId(input.playerId);
      const amountMinor = parseAmountMinor(input.amountMinor);
      return this.#single(context, "select * from wallet_grant($1, $2::uuid, $3::bigint)", [
        key,
        playerId,
        amountMinor.toString(),
      ]);
    });
  }

  /**
   * A top-up for a player whose balance is below `thresholdMinor` (the smallest table minimum), at most once per
   * cooldown. TOPUP_NOT_NEEDED or TOPUP_COOLDOWN otherwise.
   */
  async topUp(input: { playerId: string; thresholdMinor: bigint | number | string }): Promise<TransferResult> {
    const context = { op: "top-up", playerId: String(input.playerId) };
    return this.#operation(context, () => {
      const playerId = checkPlayerId(input.playerId);
      const thresholdMinor = parseAmountMinor(input.thresholdMinor, "threshold");
      const amountMinor = parseAmountMinor(this.settings.topUpMinor, "top-up amount");
      return this.#single(context, "select * from wallet_top_up($1::uuid, $2::bigint, $3::bigint, $4::integer)", [
        playerId,
        amountMinor.toString(),
        thresholdMinor.toString(),
        this.settings.topUpCooldownSeconds,
      ]);
    });
  }

  /** Registers a round owned by this node, with its escrow, and its first lease. Idempotent on the round id. */
  async openRound(input: OpenRoundInput): Promise<Round> {
    return this.#operation({ op: "open round", roundId: String(input.roundId) }, async () => {
      const roundId = checkRoundId(input.roundId);
      const game = checkName(input.game, "game");
      const ownerNodeId = checkName(input.ownerNodeId, "owner node id");
      const kind = input.kind ?? "round";
      if (kind !== "round" && kind !== "match" && kind !== "tournament") {
        throw new WalletError("BAD_REQUEST", `round kind must be round, match or tournament, got ${String(kind)}`);
      }
      const leaseMs = checkLeaseMs(input.leaseMs ?? this.settings.roundLeaseMs);
      const rows = await this.#call("select * from wallet_open_round($1, $2, $3, $4, $5::integer)", [
        roundId,
        kind,
        game,
        ownerNodeId,
        leaseMs,
      ]);
      const round = roundFromRow(rows[0]!);
      const fresh = !this.#gameOfRound.has(roundId) && round.status === "open";
      this.#rememberGame(round);
      if (fresh) this.#log.info({ roundId, game, kind, ownerNodeId }, "round opened");
      return round;
    });
  }

  /** Player -> the round's escrow (or a tournament's prize pool, as an entry fee). */
  async stake(input: {
    key: string;
    roundId: string;
    playerId: string;
    amountMinor: bigint | number | string;
  }): Promise<TransferResult> {
    const context = {
      op: "stake",
      key: String(input.key),
      roundId: String(input.roundId),
      playerId: String(input.playerId),
      amountMinor: String(input.amountMinor),
    };
    return this.#operation(context, () => {
      const key = checkIdempotencyKey(input.key);
      const roundId = checkRoundId(input.roundId);
      const playerId = checkPlayerId(input.playerId);
      const amountMinor = parseAmountMinor(input.amountMinor);
      return this.#single(context, "select * from wallet_stake($1, $2, $3::uuid, $4::bigint)", [
        key,
        roundId,
        playerId,
        amountMinor.toString(),
      ]);
    });
  }

  /**
   * Records how the round ended without moving money. From then on the round takes no stakes, and if this node dies
   * before `settle`, recovery settles this outcome under this key.
   */
  async recordOutcome(input: { key: string; roundId: string; outcome: RoundOutcome }): Promise<Round> {
    return this.#operation(
      { op: "record outcome", key: String(input.key), roundId: String(input.roundId) },
      async () => {
        const key = checkIdempotencyKey(input.key);
        const roundId = checkRoundId(input.roundId);
        const outcome = canonicalOutcome(input.outcome);
        const rows = await this.#call("select * from wallet_record_outcome($1, $2, $3::jsonb)", [
          key,
          roundId,
          outcome,
        ]);
        const round = roundFromRow(rows[0]!);
        this.#rememberGame(round);
        this.#log.debug({ roundId, key, game: round.game, outcome: JSON.parse(outcome) }, "round outcome recorded");
        return round;
      },
    );
  }

  /**
   * Pays out the escrow in one transaction and leaves it at zero; the outcome must add up to the escrow exactly.
   * Without an outcome it settles the one recorded under this key.
   */
  async settle(input: { key: string; roundId: string; outcome?: RoundOutcome }): Promise<CloseResult> {
    const context = { op: "settle", key: String(input.key), roundId: String(input.roundId) };
    return this.#operation(context, async () => {
      const key = checkIdempotencyKey(input.key);
      const roundId = checkRoundId(input.roundId);
      const outcome = input.outcome === undefined ? null : canonicalOutcome(input.outcome);
      const rows = await this.#call("select * from wallet_settle($1, $2, $3::jsonb)", [key, roundId, outcome]);
      const result = closeResult(roundId, rows);
      this.#logClose(context, result, "round settled");
      return result;
    });
  }

  /** Returns every stake of a round without a recorded outcome to whoever paid it, and closes the round. */
  async refund(input: { key: string; roundId: string }): Promise<CloseResult> {
    const context = { op: "refund", key: String(input.key), roundId: String(input.roundId) };
    return this.#operation(context, async () => {
      const key = checkIdempotencyKey(input.key);
      const roundId = checkRoundId(input.roundId);
      const rows = await this.#call("select * from wallet_refund($1, $2)", [key, roundId]);
      const result = closeResult(roundId, rows);
      this.#logClose(context, result, "round refunded");
      return result;
    });
  }

  async round(roundIdInput: string): Promise<Round | undefined> {
    const roundId = checkRoundId(roundIdInput);
    const rows = await this.#rows("select * from wallet_rounds where id = $1", [roundId]);
    return rows[0] ? roundFromRow(rows[0]) : undefined;
  }

  /** The escrow balance of a round (what its stakes add up to while open; zero once closed). */
  async escrowBalance(roundIdInput: string): Promise<bigint> {
    const roundId = checkRoundId(roundIdInput);
    const rows = await this.#rows(
      `select a.balance_minor from wallet_rounds r join wallet_accounts a on a.id = r.escrow_account_id
          where r.id = $1`,
      [roundId],
    );
    if (!rows[0]) throw new WalletError("ROUND_NOT_FOUND", `round ${roundId} is not registered`);
    return toBigInt(rows[0].balance_minor);
  }

  async balance(playerIdInput: string): Promise<Balance> {
    const playerId = checkPlayerId(playerIdInput);
    const rows = await this.#rows("select balance_minor from wallet_accounts where player_id = $1::uuid", [playerId]);
    if (!rows[0]) throw new WalletError("WALLET_NOT_FOUND", `player ${playerId} has no wallet`);
    const balanceMinor = toBigInt(rows[0].balance_minor);
    return {
      playerId,
      balanceMinor,
      currency: this.settings.currency,
      currencyScale: this.settings.currencyScale,
      formatted: this.format(balanceMinor),
    };
  }

  /** A player's transfers, newest first, `limit` (at most LEDGER_PAGE_MAX) at a time. */
  async ledger(playerIdInput: string, page: { limit?: number; beforeId?: bigint } = {}): Promise<LedgerPage> {
    const playerId = checkPlayerId(playerIdInput);
    const limit = page.limit ?? 20;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > LEDGER_PAGE_MAX) {
      throw new WalletError("BAD_REQUEST", `limit must be 1 to ${LEDGER_PAGE_MAX}, got ${limit}`);
    }
    const beforeId = page.beforeId ?? 9_223_372_036_854_775_807n;
    const accounts = await this.#rows("select id from wallet_accounts where player_id = $1::uuid", [playerId]);
    if (!accounts[0]) throw new WalletError("WALLET_NOT_FOUND", `player ${playerId} has no wallet`);
    const accountId = toBigInt(accounts[0].id).toString();
    const before = beforeId.toString();
    // Two index scans (as debtor, as creditor) merged, rather than one OR that reads the whole history.
    const rows = await this.#rows(
      `
      select t.id from (
        (select id from wallet_transfers where debit_account_id = $1::bigint and id < $2::bigint
          order by id desc limit $3)
        union all
        (select id from wallet_transfers where credit_account_id = $4::bigint and id < $5::bigint
          order by id desc limit $6)
      ) t order by t.id desc limit $7`,
      [accountId, before, limit + 1, accountId, before, limit + 1, limit + 1],
    );
    const ids = rows.map((row) => toBigInt(row.id).toString());
    const shown = ids.slice(0, limit);
    const postings =
      shown.length === 0
        ? []
        : await this.#call("select * from wallet_postings($1::bigint[], false)", [`{${shown.join(",")}}`]);
    const transfers: LedgerEntry[] = postings
      .map(transferFromRow)
      .reverse()
      .map((transfer) => ({
        ...transfer,
        // On a page the player is always the reader; a balance "after" would be misleading for old rows.
        playerId,
        playerBalanceMinor: null,
        direction: transfer.creditAccountId.toString() === accountId ? "credit" : "debit",
      }));
    return {
      transfers,
      nextBeforeId: ids.length > limit ? transfers[transfers.length - 1]!.id : null,
    };
  }

  /** Extends the leases of the rounds this node still runs; returns the ids it still owns (open, not recovered). */
  async renewLeases(ownerNodeIdInput: string, roundIds: readonly string[], leaseMsInput?: number): Promise<string[]> {
    const ownerNodeId = checkName(ownerNodeIdInput, "owner node id");
    const leaseMs = checkLeaseMs(leaseMsInput ?? this.settings.roundLeaseMs);
    if (roundIds.length === 0) return [];
    const ids = roundIds.map(checkRoundId);
    const rows = await this.#rows(
      `
      update wallet_rounds set lease_expires_at = now() + $1::integer * interval '1 millisecond'
       where id = any($2::text[]) and owner_node_id = $3 and status = 'open'
      returning id`,
      [leaseMs, toTextArray(ids), ownerNodeId],
    );
    return rows.map((row) => String(row.id));
  }

  /**
   * Closes rounds whose owner stopped renewing their lease: settles the ones with a recorded outcome, refunds the
   * rest. Safe to run on every node at once: each round is taken by one of them.
   */
  async recoverExpiredRounds(limit = RECOVERY_BATCH_MAX): Promise<RecoveryReport> {
    const batch = Math.max(1, Math.min(RECOVERY_BATCH_MAX, Math.floor(limit)));
    const expired = await this.#rows(
      `
      select id from wallet_rounds where status = 'open' and lease_expires_at <= now()
       order by lease_expires_at limit $1`,
      [batch],
    );
    const report: RecoveryReport = { settled: [], refunded: [], skipped: [], failed: [] };
    for (const row of expired) {
      const roundId = String(row.id);
      let action: string;
      try {
        const result = await this.#call("select wallet_recover_round($1) as action", [roundId]);
        action = String(result[0]?.action);
      } catch (error) {
        if (!(error instanceof WalletError)) throw error;
        report.failed.push({ roundId, code: error.code, message: error.message });
        continue;
      }
      if (action === "settled") report.settled.push(roundId);
      else if (action === "refunded") report.refunded.push(roundId);
      else report.skipped.push(roundId);
      if (action === "settled" || action === "refunded") await this.#logRecovery(roundId, action);
    }
    return report;
  }

  /** Proves the ledger's invariants; see audit.ts. */
  async audit(): Promise<AuditReport> {
    return auditLedger(this.#db);
  }

  async #single(context: OperationContext, text: string, params: QueryParam[]): Promise<TransferResult> {
    const rows = await this.#call(text, params);
    const row = rows[0];
    if (!row) throw new WalletError("LEDGER_INVARIANT", "the ledger returned no transfer");
    const transfer = transferFromRow(row);
    const replayed = row.replayed === true;
    this.#logTransfer(context.op, transfer, replayed);
    return { transfer, replayed, balanceMinor: transfer.playerBalanceMinor ?? 0n };
  }

  /** Runs a money operation; a refusal is logged at debug with the operation's ids before it reaches the caller. */
  async #operation<T>(context: OperationContext, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (error instanceof WalletError) {
        this.#log.debug({ ...context, code: error.code, reason: error.message }, "wallet refused");
      }
      throw error;
    }
  }

  #logTransfer(op: string, transfer: Transfer, replayed: boolean): void {
    const line = {
      op,
      transferId: transfer.id.toString(),
      kind: transfer.kind,
      amountMinor: transfer.amountMinor.toString(),
      playerId: transfer.playerId,
      balanceMinor: transfer.playerBalanceMinor?.toString() ?? null,
      roundId: transfer.roundId,
      game: transfer.roundId === null ? undefined : this.#gameOfRound.get(transfer.roundId),
      key: transfer.idempotencyKey,
      debitAccountId: transfer.debitAccountId.toString(),
      creditAccountId: transfer.creditAccountId.toString(),
    };
    if (replayed) this.#log.debug(line, "replayed: nothing moved");
    else this.#log.info(line, "money moved");
  }

  #logClose(context: OperationContext, result: CloseResult, message: string): void {
    const game = this.#gameOfRound.get(result.roundId);
    for (const transfer of result.transfers) this.#logTransfer(context.op, transfer, result.replayed);
    this.#gameOfRound.delete(result.roundId);
    const line = {
      roundId: result.roundId,
      game,
      key: context.key,
      transferIds: result.transfers.map((transfer) => transfer.id.toString()),
    };
    if (result.replayed) this.#log.debug(line, `replayed: ${message} before`);
    else this.#log.info(line, message);
  }

  #rememberGame(round: Round): void {
    if (round.status !== "open") return;
    if (this.#gameOfRound.size < GAMES_REMEMBERED_MAX) this.#gameOfRound.set(round.id, round.game);
  }

  /** The transfers recovery posted to close a round (its settlement legs or refunds), logged like any others. */
  async #logRecovery(roundId: string, action: "settled" | "refunded"): Promise<void> {
    try {
      const rounds = await this.#rows("select game, close_key, escrow_account_id from wallet_rounds where id = $1", [
        roundId,
      ]);
      const round = rounds[0];
      if (!round) return;
      const closeKey = String(round.close_key);
      const escrow = toBigInt(round.escrow_account_id).toString();
      const ids = await this.#rows(
        `select id from wallet_transfers
          where (debit_account_id = $1::bigint or credit_account_id = $2::bigint) and left(idempotency_key, $3) = $4
          order by id`,
        [escrow, escrow, closeKey.length + 1, `${closeKey}#`],
      );
      const shown = ids.map((row) => toBigInt(row.id).toString());
      const postings =
        shown.length === 0
          ? []
          : await this.#call("select * from wallet_postings($1::bigint[], false)", [`{${shown.join(",")}}`]);
      const transfers = postings.map(transferFromRow);
      for (const transfer of transfers) this.#logTransfer("recovery", transfer, false);
      this.#gameOfRound.delete(roundId);
      this.#log.info(
        { roundId, game: String(round.game), action, key: closeKey, transferIds: shown },
        `round recovered: ${action}`,
      );
    } catch (error) {
      // The round is closed whatever happens here; only its log lines are missing.
      this.#log.warn({ err: error, roundId, action }, "could not log a recovered round's transfers");
    }
  }

  /**
   * A call of a ledger function, straight to the driver: one round trip, and on Postgres a named prepared statement
   * (a function call has a trivial plan, so it is parsed and planned once per connection).
   */
  async #call(text: string, params: QueryParam[]): Promise<Record<string, unknown>[]> {
    return this.#run(async () => (await this.#driver.query(text, params, true)).rows);
  }

  /** Any other statement: planned on every execution, so that its plan follows the tables as they grow. */
  async #rows(text: string, params: QueryParam[]): Promise<Record<string, unknown>[]> {
    return this.#run(async () => (await this.#driver.query(text, params, false)).rows);
  }

  async #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await withRetries(operation);
    } catch (error) {
      throw walletErrorFrom(error);
    }
  }
}

type QueryParam = string | number | null;

/** A parameterised statement in, rows out: what the wallet needs from the driver. */
interface DriverClient {
  query(text: string, params: QueryParam[], prepared: boolean): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * The connection under the drizzle handle. The ledger's statements skip the query builder; on Postgres the ledger
 * function calls are also named prepared statements.
 */
function driverOf(db: Db): DriverClient {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client instanceof pg.Pool) {
    const names = new Map<string, string>();
    return {
      query: (text, values, prepared) => {
        if (!prepared) return client.query<Record<string, unknown>>(text, values);
        let name = names.get(text);
        if (name === undefined) {
          name = `wallet_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
          names.set(text, name);
        }
        return client.query<Record<string, unknown>>({ name, text, values });
      },
    };
  }
  const pglite = client as { query?: (text: string, params: QueryParam[]) => Promise<{ rows: unknown[] }> };
  if (pglite && typeof pglite.query === "function") {
    return {
      query: async (text, params) => ({ rows: (await pglite.query!(text, params)).rows as Record<string, unknown>[] }),
    };
  }
  throw new Error("the wallet needs a drizzle handle over pg or PGlite");
}

function checkName(value: unknown, what: string): string {
  if (typeof value !== "string" || !NAME_PATTERN.test(value)) {
    throw new WalletError("BAD_REQUEST", `${what} must be 1 to 128 letters, digits or : . _ - / @`);
  }
  return value;
}

function checkLeaseMs(leaseMs: number): number {
  if (!Number.isSafeInteger(leaseMs) || leaseMs < LEASE_MS_MIN || leaseMs > LEASE_MS_MAX) {
    throw new WalletError("BAD_REQUEST", `lease must be ${LEASE_MS_MIN} to ${LEASE_MS_MAX} ms, got ${leaseMs}`);
  }
  return leaseMs;
}

function parseSignedAmountMinor(value: unknown, what: string): bigint {
  if (typeof value === "bigint" && value < 0n) return -parseAmountMinor(-value, what);
  if (typeof value === "number" && value < 0) return -parseAmountMinor(-value, what);
  if (typeof value === "string" && value.startsWith("-")) return -parseAmountMinor(value.slice(1), what);
  return parseAmountMinorOrZero(value, what);
}

/**
 * The outcome as the ledger stores and compares it: zero payouts dropped, payouts ordered by player, amounts as
 * decimal strings, so that a retried settlement is byte-for-byte the first one.
 */
export function canonicalOutcome(outcome: RoundOutcome): string {
  if (!outcome || !Array.isArray(outcome.payouts)) {
    throw new WalletError("BAD_REQUEST", "an outcome needs a payouts array");
  }
  if (outcome.payouts.length > PAYOUTS_MAX) {
    throw new WalletError("BAD_REQUEST", `an outcome pays at most ${PAYOUTS_MAX} players`);
  }
  const byPlayer = new Map<string, bigint>();
  for (const payout of outcome.payouts) {
    const playerId = checkPlayerId(payout.playerId);
    if (byPlayer.has(playerId)) throw new WalletError("BAD_REQUEST", `player ${playerId} is paid twice`);
    byPlayer.set(playerId, parseAmountMinorOrZero(payout.amountMinor, `payout to ${playerId}`));
  }
  const payouts = [...byPlayer.entries()]
    .filter(([, amountMinor]) => amountMinor > 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([playerId, amountMinor]) => ({ player_id: playerId, amount_minor: amountMinor.toString() }));
  const houseMinor = parseSignedAmountMinor(outcome.houseMinor ?? 0n, "house share");
  const rakeMinor = parseAmountMinorOrZero(outcome.rakeMinor ?? 0n, "rake");
  return JSON.stringify({ payouts, house_minor: houseMinor.toString(), rake_minor: rakeMinor.toString() });
}

function toTextArray(values: readonly string[]): string {
  // Ids are checked against a pattern without quotes, backslashes, commas, braces or spaces; quoting each element
  // keeps an id such as "NULL" a string.
  return `{${values.map((value) => `"${value}"`).join(",")}}`;
}

function transferFromRow(row: Record<string, unknown>): Transfer {
  return {
    id: toBigInt(row.id),
    idempotencyKey: String(row.idempotency_key),
    kind: String(row.kind) as TransferKind,
    debitAccountId: toBigInt(row.debit_account_id),
    creditAccountId: toBigInt(row.credit_account_id),
    amountMinor: toBigInt(row.amount_minor),
    roundId: row.round_id == null ? null : String(row.round_id),
    createdAt: new Date(row.created_at as string | Date),
    playerId: row.player_id == null ? null : String(row.player_id),
    playerBalanceMinor: row.player_balance_minor == null ? null : toBigInt(row.player_balance_minor),
  };
}

function closeResult(roundId: string, rows: Record<string, unknown>[]): CloseResult {
  const transfers = rows
    .filter((row) => row.id != null)
    .map(transferFromRow)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return { roundId, transfers, replayed: rows.some((row) => row.replayed === true) };
}

function roundFromRow(row: Record<string, unknown>): Round {
  return {
    id: String(row.id),
    kind: String(row.kind) as RoundKind,
    game: String(row.game),
    ownerNodeId: String(row.owner_node_id),
    leaseExpiresAt: new Date(row.lease_expires_at as string | Date),
    status: String(row.status) as RoundStatus,
    escrowAccountId: toBigInt(row.escrow_account_id),
    outcomeRecorded: row.outcome != null,
    closeKey: row.close_key == null ? null : String(row.close_key),
    closedAt: row.closed_at == null ? null : new Date(row.closed_at as string | Date),
  };
}
