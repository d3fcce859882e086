import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { players } from "./players.ts";

/**
 * The wallet ledger: accounts with a balance kept in the same transaction as every transfer that moves it,
 * transfers (double entry: one debit account, one credit account, a positive amount), and the game rounds
 * whose escrow accounts hold stakes between bet and settlement. The money-moving functions live in SQL
 * (migrations/0002_wallet_functions.sql) so that each operation is one round trip.
 */

/**
 * The mint and the house are each split into this many accounts (shards), chosen by a hash of the player or the
 * round, so that concurrent grants and settlements do not all queue on one row lock. Their sum is the mint's or
 * the house's balance.
 */
export const SYSTEM_ACCOUNT_SHARDS = 64;

export const ACCOUNT_KINDS = ["mint", "house", "player", "escrow", "prize_pool"] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const TRANSFER_KINDS = ["grant", "stake", "payout", "refund", "rake", "entry_fee", "prize"] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

export const ROUND_KINDS = ["round", "match", "tournament"] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];

export const ROUND_STATUSES = ["open", "settled", "refunded"] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

export const walletAccounts = pgTable(
  "wallet_accounts",
  {
    id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text("kind").$type<AccountKind>().notNull(),
    playerId: uuid("player_id").references(() => players.id),
    roundId: text("round_id"),
    /** Which of the SYSTEM_ACCOUNT_SHARDS accounts of the mint or the house this is; 0 for every other account. */
    shard: smallint("shard").notNull().default(0),
    balanceMinor: bigint("balance_minor", { mode: "bigint" }).notNull().default(sql`0`),
    lastTopUpAt: timestamp("last_top_up_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check("wallet_accounts_kind_known", sql`${table.kind} in ('mint', 'house', 'player', 'escrow', 'prize_pool')`),
    // The house banks house-played games (blackjack) and may be short; the mint is the source of all demo credit.
    check(
      "wallet_accounts_balance_non_negative",
      sql`${table.kind} in ('mint', 'house') or ${table.balanceMinor} >= 0`,
    ),
    check("wallet_accounts_player_owner", sql`(${table.kind} = 'player') = (${table.playerId} is not null)`),
    check(
      "wallet_accounts_round_owner",
      sql`(${table.kind} in ('escrow', 'prize_pool')) = (${table.roundId} is not null)`,
    ),
    uniqueIndex("wallet_accounts_player_unique").on(table.playerId),
    uniqueIndex("wallet_accounts_round_unique").on(table.roundId),
    check(
      "wallet_accounts_shard_range",
      sql`${table.shard} >= 0 and ${table.shard} < 64 and (${table.kind} in ('mint', 'house') or ${table.shard} = 0)`,
    ),
    uniqueIndex("wallet_accounts_system_shard_unique")
      .on(table.kind, table.shard)
      .where(sql`${table.kind} in ('mint', 'house')`),
  ],
);

export const walletRounds = pgTable(
  "wallet_rounds",
  {
    id: text("id").primaryKey(),
    kind: text("kind").$type<RoundKind>().notNull(),
    game: text("game").notNull(),
    ownerNodeId: text("owner_node_id").notNull(),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }).notNull(),
    status: text("status").$type<RoundStatus>().notNull().default("open"),
    escrowAccountId: bigint("escrow_account_id", { mode: "bigint" })
      .notNull()
      .references(() => walletAccounts.id),
    /** The settlement decided by the game; once recorded no stake is taken and recovery settles it. */
    outcome: jsonb("outcome"),
    /** Idempotency key of the settlement or refund that closes (or will close) the round. */
    closeKey: text("close_key"),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (table) => [
    check("wallet_rounds_kind_known", sql`${table.kind} in ('round', 'match', 'tournament')`),
    check("wallet_rounds_status_known", sql`${table.status} in ('open', 'settled', 'refunded')`),
    check("wallet_rounds_closed_at", sql`(${table.status} = 'open') = (${table.closedAt} is null)`),
    uniqueIndex("wallet_rounds_close_key_unique").on(table.closeKey),
    index("wallet_rounds_open_lease").on(table.leaseExpiresAt).where(sql`${table.status} = 'open'`),
  ],
);

export const walletTransfers = pgTable(
  "wallet_transfers",
  {
    id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
    idempotencyKey: text("idempotency_key").notNull(),
    debitAccountId: bigint("debit_account_id", { mode: "bigint" })
      .notNull()
      .references(() => walletAccounts.id),
    creditAccountId: bigint("credit_account_id", { mode: "bigint" })
      .notNull()
      .references(() => walletAccounts.id),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    kind: text("kind").$type<TransferKind>().notNull(),
    roundId: text("round_id").references(() => walletRounds.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check("wallet_transfers_amount_positive", sql`${table.amountMinor} > 0`),
    check("wallet_transfers_distinct_accounts", sql`${table.debitAccountId} <> ${table.creditAccountId}`),
    check(
      "wallet_transfers_kind_known",
      sql`${table.kind} in ('grant', 'stake', 'payout', 'refund', 'rake', 'entry_fee', 'prize')`,
    ),
    uniqueIndex("wallet_transfers_idempotency_key_unique").on(table.idempotencyKey),
    index("wallet_transfers_debit_account").on(table.debitAccountId, table.id),
    index("wallet_transfers_credit_account").on(table.creditAccountId, table.id),
  ],
);
