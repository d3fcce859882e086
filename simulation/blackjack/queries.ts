import { type Card, handTotal } from "../cards/index.ts";
import { canDouble, canHit, canSplit, canSurrender } from "./hand.ts";
import { MAX_SEATS } from "./rules.ts";
import { cardsRemaining, isCutCardReached, type ShoeSource } from "./shoe.ts";
import type {
  BlackjackAction,
  BlackjackState,
  HandStatus,
  InsuranceDecision,
  Phase,
  RoundResult,
  SeatActionType,
  Turn,
} from "./state.ts";

/** What `seat` may do now (empty when nothing). */
export function legalActions(state: BlackjackState, seat: number): SeatActionType[] {
  const seatState = state.seats[seat] ?? null;
  switch (state.phase) {
    case "betting":
      return seatState ? ["bet", "cancelBet"] : ["bet"];
    case "insurance":
      return seatState?.insurance === "pending" ? ["insurance", "declineInsurance"] : [];
    case "playerTurns": {
      if (!seatState || !state.turn || state.turn.seat !== seat) return [];
      const hand = seatState.hands[state.turn.hand];
      const actions: SeatActionType[] = [];
      if (canHit(hand, state.rules)) actions.push("hit");
      actions.push("stand");
      if (canDouble(hand, state.rules)) actions.push("double");
      if (canSplit(seatState, hand, state.rules)) actions.push("split");
      if (canSurrender(seatState, hand, state.rules)) actions.push("surrender");
      return actions;
    }
    default:
      return [];
  }
}

/**
 * Extra money `action` asks of the seat (negative: money released), so the room can check the wallet first.
 * bet: the new amount less any bet it replaces; double and split: the hand's stake; insurance: half the bet (0 for even money).
 */
export function stakeRequired(state: BlackjackState, action: BlackjackAction): bigint {
  if (!("seat" in action)) return 0n;
  const seat = state.seats[action.seat] ?? null;
  switch (action.type) {
    case "bet":
      return action.amount - (seat?.bet ?? 0n);
    case "cancelBet":
      return -(seat?.bet ?? 0n);
    case "insurance":
      return seat && seat.insurance === "pending" ? seat.insuranceStake : 0n;
    case "double":
    case "split":
      return seat && state.turn?.seat === action.seat ? seat.hands[state.turn.hand].stake : 0n;
    default:
      return 0n;
  }
}

/** The action a room applies for a seat that timed out or left: decline insurance, or stand. Null when none is owed. */
export function defaultAction(state: BlackjackState): BlackjackAction | null {
  if (state.phase === "insurance") {
    const seat = state.seats.findIndex((s) => s?.insurance === "pending");
    return seat >= 0 ? { type: "declineInsurance", seat } : null;
  }
  if (state.phase === "playerTurns" && state.turn) return { type: "stand", seat: state.turn.seat };
  return null;
}

/** True when the cut card is out and the round is over: the room loads a new shoe (and may rotate seeds) before dealing. */
export function isShoeFinished(state: BlackjackState): boolean {
  return (state.phase === "betting" || state.phase === "settled") && isCutCardReached(state.shoe);
}

export interface PublicHand {
  cards: Card[];
  total: number;
  soft: boolean;
  stake: bigint;
  doubled: boolean;
  status: HandStatus;
}

export interface PublicSeat {
  seat: number;
  bet: bigint;
  insurance: InsuranceDecision;
  insuranceStake: bigint;
  hands: PublicHand[];
}

/** Everything any player may see. No hole card before it is turned, no shoe order: only dealt cards and counts. */
export interface PublicTableView {
  phase: Phase;
  round: number;
  seats: (PublicSeat | null)[];
  dealer: { cards: Card[]; hiddenCards: number; total: number | null; soft: boolean };
  turn: Turn | null;
  /** The acting seat's options, for the UI. */
  turnActions: SeatActionType[];
  shoe: {
    totalCards: number;
    dealt: number;
    remaining: number;
    cutCardReached: boolean;
    sources: ShoeSource[];
  };
  result: RoundResult | null;
}

export function publicView(state: BlackjackState): PublicTableView {
  const visibleDealer = state.dealer.holeHidden
    ? state.dealer.cards.filter((_, k) => k !== 1)
    : [...state.dealer.cards];
  const dealerTotal = visibleDealer.length > 0 ? handTotal(visibleDealer) : null;
  const seats: (PublicSeat | null)[] = [];
  for (let seat = 0; seat < MAX_SEATS; seat++) {
    const s = state.seats[seat];
    seats.push(
      s
        ? {
            seat,
            bet: s.bet,
            insurance: s.insurance,
            insuranceStake: s.insuranceStake,
            hands: s.hands.map((hand) => ({
              cards: [...hand.cards],
              ...handTotal(hand.cards),
              stake: hand.stake,
              doubled: hand.doubled,
              status: hand.status,
            })),
          }
        : null,
    );
  }
  return {
    phase: state.phase,
    round: state.round,
    seats,
    dealer: {
      cards: visibleDealer,
      hiddenCards: state.dealer.cards.length - visibleDealer.length,
      total: dealerTotal?.total ?? null,
      soft: dealerTotal?.soft ?? false,
    },
    turn: state.turn ? { ...state.turn } : null,
    turnActions: state.turn ? legalActions(state, state.turn.seat) : [],
    shoe: {
      totalCards: state.shoe.cards.length,
      dealt: state.shoe.position,
      remaining: cardsRemaining(state.shoe),
      cutCardReached: isCutCardReached(state.shoe),
      sources: state.shoe.sources.map((source) => ({ ...source })),
    },
    result: state.result,
  };
}
