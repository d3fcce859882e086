import { setTimeout as sleep } from "node:timers/promises";
import { postgresErrorOf, WalletError } from "./errors.ts";

export const MAX_ATTEMPTS = 6;
const BACKOFF_BASE_MS = 2;
const BACKOFF_MAX_MS = 100;

/**
 * Errors after which running the whole operation again is both safe (it rolled back) and useful:
 * serialization failures and deadlocks, and the unique-key races that the next attempt resolves as a replay
 * (two requests with one idempotency key, two registrations of one round or one wallet).
 */
function isTransient(error: unknown): boolean {
  const pgError = postgresErrorOf(error);
  if (!pgError) return false;
  if (pgError.code === "40001" || pgError.code === "40P01") return true;
  return (
    pgError.code === "23505" &&
    (pgError.constraint === "wallet_transfers_idempotency_key_unique" ||
      pgError.constraint === "wallet_accounts_round_unique" ||
      pgError.constraint === "wallet_rounds_pkey" ||
      pgError.constraint === "wallet_accounts_player_unique")
  );
}

/** Runs one ledger operation, retrying transient failures a bounded number of times with jittered backoff. */
export async function withRetries<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= MAX_ATTEMPTS) {
        throw new WalletError("BUSY", `the ledger stayed contended after ${MAX_ATTEMPTS} attempts`, { cause: error });
      }
      const ceilingMs = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
      await sleep(Math.random() * ceilingMs);
    }
  }
}
