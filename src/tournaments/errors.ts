import type { TournamentErrorCode } from "../../protocol/tournament.ts";
import { WalletError } from "../wallet/errors.ts";

const STATUS_BY_CODE: Record<TournamentErrorCode, number> = {
  BAD_REQUEST: 400,
  BAD_PRIZE_STRUCTURE: 400,
  NOT_FOUND: 404,
  REGISTRATION_NOT_OPEN: 409,
  REGISTRATION_CLOSED: 409,
  TOURNAMENT_FULL: 409,
  ALREADY_REGISTERED: 409,
  NOT_REGISTERED: 409,
  ALREADY_STARTED: 409,
  INSUFFICIENT_FUNDS: 409,
  WALLET_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  BUSY: 503,
};

/** A refusal a client may read: a stable code, a message without internals, and the HTTP status that goes with it. */
export class TournamentError extends Error {
  readonly code: TournamentErrorCode;
  constructor(code: TournamentErrorCode, message: string) {
    super(message);
    this.name = "TournamentError";
    this.code = code;
  }

  get httpStatus(): number {
    return STATUS_BY_CODE[this.code];
  }
}

/** A wallet refusal seen by a registering player. */
export function tournamentErrorFrom(error: unknown): unknown {
  if (!(error instanceof WalletError)) return error;
  if (error.code === "INSUFFICIENT_FUNDS") {
    return new TournamentError("INSUFFICIENT_FUNDS", "the balance does not cover the entry fee");
  }
  if (error.code === "WALLET_NOT_FOUND") return new TournamentError("WALLET_NOT_FOUND", "the player has no wallet");
  if (error.code === "BUSY") return new TournamentError("BUSY", "the wallet is busy: try again");
  return error;
}

/** The driver lost its lease in the middle of a step: the step is rolled back and another node carries on. */
export class LeaseLost extends Error {
  constructor(tournamentId: string) {
    super(`this node no longer holds the lease of tournament ${tournamentId}`);
    this.name = "LeaseLost";
  }
}
