import { blackjackValue, type Card, handTotal, isTwoCardTwentyOne } from "../cards/index.ts";
import type { BlackjackRules } from "./rules.ts";
import type { HandState, SeatState } from "./state.ts";

export function isTenValue(card: Card): boolean {
  return blackjackValue(card) === 10;
}

export function isAce(card: Card): boolean {
  return blackjackValue(card) === 1;
}

/** A natural: two cards totalling 21 on a hand that was not made by a split. */
export function isNatural(hand: HandState): boolean {
  return !hand.fromSplit && isTwoCardTwentyOne(hand.cards);
}

export function dealerMustHit(cards: readonly Card[], rules: BlackjackRules): boolean {
  const { total, soft } = handTotal(cards);
  return total < 17 || (total === 17 && soft && rules.dealerHitsSoft17);
}

export function canHit(hand: HandState, rules: BlackjackRules): boolean {
  if (hand.status !== "playing" || hand.cards.length < 2) return false;
  if (hand.splitAces && !rules.hitSplitAces) return false;
  return handTotal(hand.cards).total < 21;
}

export function canDouble(hand: HandState, rules: BlackjackRules): boolean {
  if (hand.status !== "playing" || hand.cards.length !== 2 || hand.splitAces) return false;
  if (hand.fromSplit && !rules.doubleAfterSplit) return false;
  if (rules.doubleOn === "any") return true;
  const { total, soft } = handTotal(hand.cards);
  if (soft) return false;
  return rules.doubleOn === "9-11" ? total >= 9 && total <= 11 : total >= 10 && total <= 11;
}

/** Any two cards of equal blackjack value split (K-Q too); aces resplit only where the rules allow. */
export function canSplit(seat: SeatState, hand: HandState, rules: BlackjackRules): boolean {
  if (hand.status !== "playing" || hand.cards.length !== 2) return false;
  if (blackjackValue(hand.cards[0]) !== blackjackValue(hand.cards[1])) return false;
  if (seat.hands.length >= rules.maxSplitHands) return false;
  return !(hand.splitAces && !rules.resplitAces);
}

export function canSurrender(seat: SeatState, hand: HandState, rules: BlackjackRules): boolean {
  return (
    rules.lateSurrender &&
    rules.holeCard === "peek" &&
    hand.status === "playing" &&
    hand.cards.length === 2 &&
    !hand.fromSplit &&
    seat.hands.length === 1
  );
}
