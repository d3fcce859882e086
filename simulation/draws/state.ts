import type { Card } from "../cards/index.ts";
import type { SeedState } from "../rng/index.ts";
import type { DrawsConfig } from "./config.ts";
import type { RoundSettlement, Seat } from "./settlement.ts";

/**
 * awaiting_stakes: seats offer stakes; nothing is held until both offered the same amount.
 * awaiting_draws: both stakes are held; each seat presses draw for the current attempt.
 * resolved: the round's outcome and settlement are final; the room moves the money, then sends `settle`.
 * settled: the money has moved; `nextRound` starts another round unless the match is over.
 */
export type DrawsPhase = "awaiting_stakes" | "awaiting_draws" | "resolved" | "settled";

/** One shuffle of one deck: seat 0 holds card 0 and seat 1 card 1 of the shuffle for (serverSeed, clientSeed, nonce). */
export interface DrawAttempt {
  serverSeedHash: string;
  clientSeed: string;
  nonce: number;
  /** Null until that seat has drawn. */
  cards: [Card | null, Card | null];
  /** True where the room drew for the seat after a timeout. */
  auto: [boolean, boolean];
}

export type RoundOutcome = "win" | "push" | "forfeit";

export interface RoundResult {
  round: number;
  outcome: RoundOutcome;
  /** The seat paid the pot; null on a push. On a forfeit, the seat that stayed. */
  winnerSeat: Seat | null;
  forfeitedBy: Seat | null;
  /** False when the round ended before both stakes were held: then nothing moves. */
  stakesHeld: boolean;
  /** Each seat's stake (0 when none was held). */
  stakeMinor: bigint;
  attempts: DrawAttempt[];
  settlement: RoundSettlement;
}

export type MatchEndReason = "series" | "forfeit" | "maxRounds";

export interface MatchStatus {
  over: boolean;
  /** Series winner, or the seat that stayed after a forfeit; null while open or when no seat won. */
  winnerSeat: Seat | null;
  reason: MatchEndReason | null;
}

/** The whole match. Treat it as immutable: every action returns a new state and leaves the old one alone. */
export interface DrawsState {
  config: DrawsConfig;
  /** Secret until rotated out: keep `seeds.serverSeed` off the wire (see publicDrawsView). */
  seeds: SeedState;
  phase: DrawsPhase;
  /** The round in play, from 1. */
  round: number;
  /** Stakes offered this round, by seat; both equal means held. */
  offers: [bigint | null, bigint | null];
  /** Each seat's held stake, once both agreed. */
  stakeMinor: bigint | null;
  /** This round's attempts; the last is the one being drawn. */
  attempts: DrawAttempt[];
  /** This round's result once resolved. */
  result: RoundResult | null;
  /** Rounds whose pot went to each seat (forfeited pots included). */
  wins: [number, number];
  pushes: number;
  match: MatchStatus;
}

export type DrawsAction =
  | { type: "stake"; seat: Seat; stakeMinor: bigint }
  | { type: "withdrawStake"; seat: Seat }
  /** `auto`: the room drew for the seat after its timeout. The card is the same either way. */
  | { type: "draw"; seat: Seat; auto?: boolean }
  | { type: "forfeit"; seat: Seat }
  /** Room actions. */
  | { type: "settle" }
  | { type: "nextRound" }
  | { type: "useSeeds"; seeds: SeedState };

export type DrawsErrorCode =
  | "BAD_ACTION"
  | "BAD_SEAT"
  | "WRONG_PHASE"
  | "STAKE_OUT_OF_RANGE"
  | "STAKES_DIFFER"
  | "ALREADY_STAKED"
  | "NO_STAKE"
  | "ALREADY_DRAWN"
  | "MATCH_OVER"
  | "BAD_SEEDS";

export interface DrawsError {
  code: DrawsErrorCode;
  message: string;
}

export type DrawsEvent =
  | { type: "stakeOffered"; seat: Seat; stakeMinor: bigint }
  | { type: "stakeWithdrawn"; seat: Seat }
  /** Move `stakeMinor` from each seat into the round's escrow. */
  | { type: "stakesHeld"; round: number; stakeMinor: bigint; potMinor: bigint }
  | { type: "attemptStarted"; round: number; attempt: number; nonce: number }
  | { type: "cardDrawn"; seat: Seat; card: Card; attempt: number; nonce: number; auto: boolean }
  | { type: "tie"; attempt: number; nonce: number }
  /** Pay out `result.settlement` from escrow, then send `settle`. */
  | { type: "roundResolved"; result: RoundResult }
  | { type: "roundSettled"; round: number }
  | { type: "roundStarted"; round: number }
  | { type: "matchOver"; winnerSeat: Seat | null; reason: MatchEndReason }
  | { type: "seedsChanged"; serverSeedHash: string; clientSeed: string; nonce: number };

export type DrawsActionResult =
  | { ok: true; state: DrawsState; events: DrawsEvent[] }
  | { ok: false; error: DrawsError };
