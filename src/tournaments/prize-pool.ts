import { sql } from "drizzle-orm";
import { toBigInt } from "../wallet/amount.ts";
import { WalletError, walletErrorFrom } from "../wallet/errors.ts";
import { canonicalOutcome, type Payout } from "../wallet/wallet.ts";
import type { Executor } from "./bracket-storage.ts";

/**
 * The tournament's prize pool through the wallet's ledger functions (migrations/0002 and 0005), called inside the
 * caller's transaction. The Wallet class runs each operation as its own transaction on the pool, so it cannot take
 * part in an outer one; the ledger functions can: they are plain SQL calls with their own checks, locks and
 * idempotency keys, and a failure in one rolls the whole tournament step back (docs/tournaments.md "Recovery").
 */
export class PrizePool {
  readonly roundId: string;
  readonly #tx: Executor;

  constructor(tx: Executor, roundId: string) {
    this.#tx = tx;
    this.roundId = roundId;
  }

  async open(game: string, ownerNodeId: string, leaseMs: number): Promise<void> {
    await this.#call(
      sql`select id from wallet_open_round(${this.roundId}, 'tournament', ${game}, ${ownerNodeId}, ${leaseMs}::integer)`,
    );
  }

  /** Player -> prize pool; returns the player's balance after it. */
  async payEntryFee(key: string, playerId: string, amountMinor: bigint): Promise<bigint> {
    const rows = await this.#call(
      sql`select player_balance_minor from wallet_stake(${key}, ${this.roundId}, ${playerId}::uuid, ${amountMinor.toString()}::bigint)`,
    );
    return toBigInt(rows[0]?.player_balance_minor ?? 0);
  }

  /** Prize pool -> player: everything that player has in the pool. */
  async refundEntry(key: string, playerId: string): Promise<void> {
    await this.#call(sql`select id from wallet_refund_entry(${key}, ${this.roundId}, ${playerId}::uuid)`);
  }

  /** Every entry back to whoever paid it; closes the round as refunded. */
  async refundAll(key: string): Promise<void> {
    await this.#call(sql`select id from wallet_refund(${key}, ${this.roundId})`);
  }

  /** Records the outcome and pays it (prizes to players, the rake to the house), leaving the pool at zero. */
  async payPrizes(key: string, payouts: Payout[], rakeMinor: bigint): Promise<void> {
    const outcome = canonicalOutcome({ payouts, houseMinor: 0n, rakeMinor });
    await this.#call(sql`select id from wallet_record_outcome(${key}, ${this.roundId}, ${outcome}::jsonb)`);
    await this.#call(sql`select id from wallet_settle(${key}, ${this.roundId}, null)`);
  }

  async balanceMinor(): Promise<bigint> {
    const rows = await this.#call(sql`
      select a.balance_minor from wallet_rounds r join wallet_accounts a on a.id = r.escrow_account_id
       where r.id = ${this.roundId}`);
    if (!rows[0]) throw new WalletError("ROUND_NOT_FOUND", `round ${this.roundId} is not registered`);
    return toBigInt(rows[0].balance_minor);
  }

  async status(): Promise<string | undefined> {
    const rows = await this.#call(sql`select status from wallet_rounds where id = ${this.roundId}`);
    return rows[0] ? String(rows[0].status) : undefined;
  }

  /** Takes over (or renews) the round's lease for this node; false once the lease has run out. */
  async holdLease(ownerNodeId: string, leaseMs: number): Promise<boolean> {
    const rows = await this.#call(
      sql`select wallet_hold_round_lease(${this.roundId}, ${ownerNodeId}, ${leaseMs}::integer) as held`,
    );
    return rows[0]?.held === true;
  }

  async #call(statement: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> {
    try {
      return (await this.#tx.execute<Record<string, unknown>>(statement)).rows;
    } catch (error) {
      throw walletErrorFrom(error);
    }
  }
}
