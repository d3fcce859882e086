import type { Card } from "../cards/index.ts";
import type { BlackjackRules } from "./rules.ts";
import type { BlackjackShoe } from "./shoe.ts";

export type Phase = "betting" | "insurance" | "playerTurns" | "settled";

/** "playing": still to act (or waiting for its turn); every other status is final for the round. */
export type HandStatus = "playing" | "stood" | "doubled" | "busted" | "surrendered" | "blackjack" | "evenMoney";

export interface HandState {
  cards: Card[];
  /** Amount riding on this hand, doubles included. */
  stake: bigint;
  doubled: boolean;
  /** Made by a split (so 21 on two cards is not a blackjack and surrender is gone). */
  fromSplit: boolean;
  /** Made by splitting aces. */
  splitAces: boolean;
  status: HandStatus;
}

export type InsuranceDecision = "notOffered" | "pending" | "taken" | "declined" | "evenMoney";

export interface SeatState {
  /** The original wager. */
  bet: bigint;
  hands: HandState[];
  insurance: InsuranceDecision;
  insuranceStake: bigint;
}

export interface DealerState {
  cards: Card[];
  /** True while cards[1] is face down (peek games, until the dealer's turn or a blackjack). */
  holeHidden: boolean;
}

export interface Turn {
  seat: number;
  hand: number;
}

export type HandOutcome = "blackjack" | "win" | "push" | "lose" | "bust" | "surrender" | "evenMoney";

export interface HandResult {
  cards: Card[];
  stake: bigint;
  doubled: boolean;
  outcome: HandOutcome;
  /** Paid back to the player for this hand, stake included (0 on a loss). */
  returned: bigint;
}

export interface SeatResult {
  seat: number;
  bet: bigint;
  hands: HandResult[];
  insuranceStake: bigint;
  insuranceReturned: bigint;
  /** Everything the seat put in this round: bet, doubles, splits, insurance. */
  totalStaked: bigint;
  /** Everything paid back to the seat. net = totalReturned - totalStaked. */
  totalReturned: bigint;
  net: bigint;
}

export interface RoundResult {
  round: number;
  dealerCards: Card[];
  dealerTotal: number;
  dealerBlackjack: boolean;
  dealerBusted: boolean;
  seats: SeatResult[];
  /** The cut card came out: the room should replace the shoe (and rotate seeds if it wants) before the next deal. */
  shoeFinished: boolean;
}

/** The whole table. Treat it as immutable: every action returns a new state and never touches the old one. */
export interface BlackjackState {
  rules: BlackjackRules;
  phase: Phase;
  /** Rounds dealt so far on this table (the round in play, once dealt). */
  round: number;
  seats: (SeatState | null)[];
  dealer: DealerState;
  shoe: BlackjackShoe;
  turn: Turn | null;
  result: RoundResult | null;
}

export type SeatActionType =
  | "bet"
  | "cancelBet"
  | "insurance"
  | "declineInsurance"
  | "hit"
  | "stand"
  | "double"
  | "split"
  | "surrender";

export type BlackjackAction =
  | { type: "bet"; seat: number; amount: bigint }
  | { type: "cancelBet"; seat: number }
  /** Takes insurance, or even money when the seat holds a blackjack. */
  | { type: "insurance"; seat: number }
  | { type: "declineInsurance"; seat: number }
  | { type: "hit"; seat: number }
  | { type: "stand"; seat: number }
  | { type: "double"; seat: number }
  | { type: "split"; seat: number }
  | { type: "surrender"; seat: number }
  /** Table actions, sent by the room itself. */
  | { type: "deal" }
  | { type: "nextRound" }
  | { type: "newShoe"; shoe: BlackjackShoe }
  | { type: "extendShoe"; shoe: BlackjackShoe };

export type BlackjackErrorCode =
  | "BAD_ACTION"
  | "BAD_SEAT"
  | "WRONG_PHASE"
  | "NOT_YOUR_TURN"
  | "NO_BET"
  | "BET_OUT_OF_RANGE"
  | "NO_BETS"
  | "INSURANCE_NOT_OFFERED"
  | "ALREADY_DECIDED"
  | "CANNOT_HIT"
  | "CANNOT_DOUBLE"
  | "CANNOT_SPLIT"
  | "CANNOT_SURRENDER"
  | "SHOE_FINISHED"
  | "SHOE_EXHAUSTED"
  | "BAD_SHOE"
  /** A table's rule (simulation/blackjack/table.ts): one bet per seat a round. */
  | "ALREADY_BET";

export interface BlackjackError {
  code: BlackjackErrorCode;
  message: string;
}

export type BlackjackEvent =
  | { type: "cardDealt"; to: "seat"; seat: number; hand: number; card: Card }
  /** faceDown: the card is the hole card; never show it to players until holeCardRevealed. */
  | { type: "cardDealt"; to: "dealer"; card: Card; faceDown: boolean }
  | { type: "holeCardRevealed"; card: Card }
  | { type: "phaseChanged"; phase: Phase }
  | { type: "turnChanged"; turn: Turn | null }
  | { type: "roundSettled"; result: RoundResult };

export type ActionResult =
  | { ok: true; state: BlackjackState; events: BlackjackEvent[] }
  | { ok: false; error: BlackjackError };
