import { WalletError } from "./errors.ts";

/**
 * Caller keys and round ids: printable, bounded, and without '#', which the ledger reserves for the keys it derives
 * (settlement legs, refunds, top-ups), so a caller's key can never collide with a derived one.
 */
const KEY_PATTERN = /^[A-Za-z0-9:._\-/@]{1,160}$/;

export function checkIdempotencyKey(key: unknown): string {
  if (typeof key !== "string" || !KEY_PATTERN.test(key)) {
    throw new WalletError(
      "BAD_REQUEST",
      `idempotency key must be 1 to 160 characters of letters, digits and : . _ - / @, got ${JSON.stringify(key)}`,
    );
  }
  return key;
}

export function checkRoundId(roundId: unknown): string {
  if (typeof roundId !== "string" || !KEY_PATTERN.test(roundId)) {
    throw new WalletError(
      "BAD_REQUEST",
      `round id must be 1 to 160 characters of letters, digits and : . _ - / @, got ${JSON.stringify(roundId)}`,
    );
  }
  return roundId;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkPlayerId(playerId: unknown): string {
  if (typeof playerId !== "string" || !UUID_PATTERN.test(playerId)) {
    throw new WalletError("BAD_REQUEST", `player id must be a uuid, got ${JSON.stringify(playerId)}`);
  }
  return playerId.toLowerCase();
}

/** The one key under which a player's starting credit is ever granted. */
export function startingGrantKey(playerId: string): string {
  return `wallet#starting-grant#${playerId}`;
}
