import { handTotal, isTwoCardTwentyOne } from "../cards/index.ts";
import type { BlackjackRules } from "./rules.ts";
import { isCutCardReached } from "./shoe.ts";
import type { BlackjackState, HandOutcome, HandResult, HandState, RoundResult, SeatResult } from "./state.ts";

/** Winnings on a natural, floored to the minor unit (the house keeps any fraction). */
export function blackjackWinnings(stake: bigint, rules: BlackjackRules): bigint {
  return rules.blackjackPays === "3:2" ? (stake * 3n) / 2n : (stake * 6n) / 5n;
}

interface DealerFinal {
  total: number;
  blackjack: boolean;
  busted: boolean;
}

function settleHand(hand: HandState, handIndex: number, bet: bigint, dealer: DealerFinal, rules: BlackjackRules) {
  const result = (outcome: HandOutcome, returned: bigint): HandResult => ({
    cards: [...hand.cards],
    stake: hand.stake,
    doubled: hand.doubled,
    outcome,
    returned,
  });
  switch (hand.status) {
    case "evenMoney":
      return result("evenMoney", hand.stake * 2n);
    case "surrendered":
      return result("surrender", hand.stake / 2n);
    case "busted":
      return result("bust", 0n);
    case "blackjack":
      return dealer.blackjack
        ? result("push", hand.stake)
        : result("blackjack", hand.stake + blackjackWinnings(hand.stake, rules));
    default: {
      if (dealer.blackjack) {
        // Only reachable without a peek (ENHC), or at the peek itself where no hand has grown yet.
        if (rules.holeCard === "enhc" && rules.enhcDealerBlackjackTakes === "original") {
          // Only the original bet is lost: extra split hands and double-down money come back.
          const returned = handIndex === 0 ? hand.stake - bet : hand.stake;
          return result(handIndex === 0 ? "lose" : "push", returned);
        }
        return result("lose", 0n);
      }
      const total = handTotal(hand.cards).total;
      if (dealer.busted || total > dealer.total) return result("win", hand.stake * 2n);
      if (total === dealer.total) return result("push", hand.stake);
      return result("lose", 0n);
    }
  }
}

/** Pays out the round in `state` (dealer hand final). Pure. */
export function settleRound(state: BlackjackState): RoundResult {
  const { total } = handTotal(state.dealer.cards);
  const dealer: DealerFinal = {
    total,
    blackjack: isTwoCardTwentyOne(state.dealer.cards),
    busted: total > 21,
  };
  const seats: SeatResult[] = [];
  state.seats.forEach((seat, index) => {
    if (!seat) return;
    const hands = seat.hands.map((hand, k) => settleHand(hand, k, seat.bet, dealer, state.rules));
    const insuranceStake = seat.insurance === "taken" ? seat.insuranceStake : 0n;
    const insuranceReturned = dealer.blackjack ? insuranceStake * 3n : 0n;
    let totalStaked = insuranceStake;
    let totalReturned = insuranceReturned;
    for (const hand of hands) {
      totalStaked += hand.stake;
      totalReturned += hand.returned;
    }
    seats.push({
      seat: index,
      bet: seat.bet,
      hands,
      insuranceStake,
      insuranceReturned,
      totalStaked,
      totalReturned,
      net: totalReturned - totalStaked,
    });
  });
  return {
    round: state.round,
    dealerCards: [...state.dealer.cards],
    dealerTotal: dealer.total,
    dealerBlackjack: dealer.blackjack,
    dealerBusted: dealer.busted,
    seats,
    shoeFinished: isCutCardReached(state.shoe),
  };
}
