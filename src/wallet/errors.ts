export const WALLET_ERROR_CODES = [
  "BAD_AMOUNT",
  "BAD_REQUEST",
  "INSUFFICIENT_FUNDS",
  "IDEMPOTENCY_CONFLICT",
  "ROUND_NOT_FOUND",
  "ROUND_CLOSED",
  "ROUND_EXISTS",
  "WALLET_NOT_FOUND",
  "SETTLEMENT_MISMATCH",
  "NO_OUTCOME",
  "TOPUP_NOT_NEEDED",
  "TOPUP_COOLDOWN",
  "BUSY",
  "LEDGER_INVARIANT",
] as const;

export type WalletErrorCode = (typeof WALLET_ERROR_CODES)[number];

/** Every failure the wallet reports on purpose; `code` is stable and safe to show to a client. */
export class WalletError extends Error {
  readonly code: WalletErrorCode;
  constructor(code: WalletErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WalletError";
    this.code = code;
  }
}

/** SQLSTATEs raised by the ledger functions (migrations/0002_wallet_functions.sql). */
const LEDGER_SQLSTATES: Record<string, WalletErrorCode> = {
  WL001: "IDEMPOTENCY_CONFLICT",
  WL002: "ROUND_NOT_FOUND",
  WL003: "ROUND_CLOSED",
  WL004: "WALLET_NOT_FOUND",
  WL005: "SETTLEMENT_MISMATCH",
  WL007: "TOPUP_NOT_NEEDED",
  WL008: "TOPUP_COOLDOWN",
  WL009: "ROUND_EXISTS",
  WL010: "NO_OUTCOME",
  WL099: "LEDGER_INVARIANT",
};

export interface PostgresErrorFields {
  code: string;
  message: string;
  constraint?: string;
}

/** The Postgres error behind a driver error (drizzle wraps it in `cause`), if there is one. */
export function postgresErrorOf(error: unknown): PostgresErrorFields | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const candidate = current as Error & { code?: unknown; constraint?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        message: candidate.message,
        constraint: typeof candidate.constraint === "string" ? candidate.constraint : undefined,
      };
    }
    current = candidate.cause;
  }
  return undefined;
}

/** Maps a ledger function's error to a WalletError; anything else is returned unchanged. */
export function walletErrorFrom(error: unknown): unknown {
  const pgError = postgresErrorOf(error);
  if (!pgError) return error;
  const code = LEDGER_SQLSTATES[pgError.code];
  if (code) return new WalletError(code, pgError.message, { cause: error });
  if (pgError.code === "23514" && pgError.constraint === "wallet_accounts_balance_non_negative") {
    return new WalletError("INSUFFICIENT_FUNDS", "the balance is less than the amount", { cause: error });
  }
  if (pgError.code === "23505" && pgError.constraint === "wallet_rounds_close_key_unique") {
    return new WalletError("IDEMPOTENCY_CONFLICT", "the idempotency key already closed another round", {
      cause: error,
    });
  }
  if (pgError.code === "23503" && pgError.constraint === "wallet_accounts_player_id_players_id_fk") {
    return new WalletError("BAD_REQUEST", "no such player", { cause: error });
  }
  return error;
}
