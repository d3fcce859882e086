import { describe, expect, it } from "vitest";
import {
  applyAction,
  createFairShoe,
  createTable,
  defaultAction,
  isShoeFinished,
  legalActions,
  publicView,
  rulesFromPreset,
  stackedShoe,
  stakeRequired,
  validateRules,
} from "../../../simulation/blackjack/index.ts";
import { cardsToString, parseCard, parseCards } from "../../../simulation/cards/index.ts";
import { recomputeShoe } from "../../../simulation/rng/index.ts";
import { BET, dealt, expectError, ok, run, seatResult, stackedTable } from "./helpers.ts";

const seat0 = { seat: 0 } as const;
const hit = { type: "hit", ...seat0 } as const;
const stand = { type: "stand", ...seat0 } as const;
const double = { type: "double", ...seat0 } as const;
const split = { type: "split", ...seat0 } as const;
const surrender = { type: "surrender", ...seat0 } as const;
const insure = { type: "insurance", ...seat0 } as const;
const decline = { type: "declineInsurance", ...seat0 } as const;

describe("round flow", () => {
  it("deals seat, dealer up, seat, hole; plays; dealer draws to 17; pays a win 1:1", () => {
    // player T 7 = 17; dealer 6 up, T hole = 16, draws 3 -> 19 beats 17.
    const table = stackedTable("Tc 6d 7h Ts 3c");
    const afterDeal = dealt(table);
    expect(afterDeal.phase).toBe("playerTurns");
    expect(afterDeal.turn).toEqual({ seat: 0, hand: 0 });
    expect(cardsToString(afterDeal.seats[0]!.hands[0].cards)).toBe("Tc 7h");
    expect(cardsToString(afterDeal.dealer.cards)).toBe("6d Ts");
    const end = ok(afterDeal, stand);
    expect(cardsToString(end.dealer.cards)).toBe("6d Ts 3c");
    const result = seatResult(end);
    expect(result.hands[0].outcome).toBe("lose");
    expect(result.totalStaked).toBe(BET);
    expect(result.totalReturned).toBe(0n);
    expect(end.shoe.position).toBe(5);
    // the earlier states were never touched
    expect(afterDeal.phase).toBe("playerTurns");
    expect(afterDeal.dealer.cards.length).toBe(2);
  });

  it("pays 1:1 when the dealer busts and returns the stake on a push", () => {
    const bust = run(dealt(stackedTable("Tc 6d 8h Ts Kc")), stand);
    expect(seatResult(bust).hands[0]).toMatchObject({ outcome: "win", returned: 2n * BET });
    expect(bust.result!.dealerBusted).toBe(true);

    const push = run(dealt(stackedTable("Tc 9d 8h 9s")), stand);
    expect(seatResult(push).hands[0]).toMatchObject({ outcome: "push", returned: BET });
    expect(seatResult(push).net).toBe(0n);
  });

  it("does not draw for the dealer when every hand has busted", () => {
    const state = run(dealt(stackedTable("Tc 6d 6h Ts Kc 5c 5d")), hit);
    expect(seatResult(state).hands[0].outcome).toBe("bust");
    expect(cardsToString(state.dealer.cards)).toBe("6d Ts");
    expect(state.dealer.holeHidden).toBe(false);
    expect(state.shoe.position).toBe(5);
  });

  it("plays seats in seat order and hands in order, and settles each seat", () => {
    // seats 1 and 4: s1 Tc, s4 9c, dealer 7d, s1 8c, s4 9d, hole Ts; s1 stands 18, s4 stands 18; dealer 17.
    const state = dealt(stackedTable("Tc 9c 7d 8c 9d Ts"), [4, 1]);
    expect(cardsToString(state.seats[1]!.hands[0].cards)).toBe("Tc 8c");
    expect(cardsToString(state.seats[4]!.hands[0].cards)).toBe("9c 9d");
    expect(state.turn).toEqual({ seat: 1, hand: 0 });
    expectError(state, { type: "stand", seat: 4 }, "NOT_YOUR_TURN");
    const next = ok(state, { type: "stand", seat: 1 });
    expect(next.turn).toEqual({ seat: 4, hand: 0 });
    const end = ok(next, { type: "stand", seat: 4 });
    expect(end.result!.seats.map((s) => [s.seat, s.hands[0].outcome])).toEqual([
      [1, "win"],
      [4, "win"],
    ]);
  });

  it("clears the table for the next round", () => {
    const end = run(dealt(stackedTable("Tc 9d 8h 9s Tc 9d 8h 9s")), stand);
    const next = ok(end, { type: "nextRound" });
    expect(next.phase).toBe("betting");
    expect(next.seats.every((s) => s === null)).toBe(true);
    expect(next.result).toBeNull();
    expect(next.round).toBe(1);
    expect(dealt(next).round).toBe(2);
  });
});

describe("validation leaves the state unchanged", () => {
  const table = stackedTable("Tc 6d 7h Ts 3c 4c 5c");

  it("rejects bets outside the limits or phase, bad seats, and a deal with no bets", () => {
    expectError(table, { type: "bet", seat: 0, amount: 99n }, "BET_OUT_OF_RANGE");
    expectError(table, { type: "bet", seat: 0, amount: 100_001n }, "BET_OUT_OF_RANGE");
    expectError(table, { type: "bet", seat: 0, amount: 500 as unknown as bigint }, "BAD_ACTION");
    expectError(table, { type: "bet", seat: 7, amount: BET }, "BAD_SEAT");
    expectError(table, { type: "bet", seat: -1, amount: BET }, "BAD_SEAT");
    expectError(table, { type: "deal" }, "NO_BETS");
    expectError(table, { type: "cancelBet", seat: 0 }, "NO_BET");
    expectError(table, hit, "WRONG_PHASE");
    expectError(table, { type: "nextRound" }, "WRONG_PHASE");
    expectError(table, { type: "fly" } as never, "BAD_ACTION");
  });

  it("lets a bet be replaced or withdrawn before the deal", () => {
    let state = ok(table, { type: "bet", seat: 2, amount: 500n });
    expect(stakeRequired(state, { type: "bet", seat: 2, amount: 800n })).toBe(300n);
    state = ok(state, { type: "bet", seat: 2, amount: 800n });
    expect(state.seats[2]!.bet).toBe(800n);
    state = ok(state, { type: "cancelBet", seat: 2 });
    expect(state.seats[2]).toBeNull();
  });

  it("rejects play out of turn, by a seat with no bet, and illegal moves", () => {
    const state = dealt(table);
    expectError(state, { type: "bet", seat: 1, amount: BET }, "WRONG_PHASE");
    expectError(state, { type: "hit", seat: 1 }, "NO_BET");
    expectError(state, split, "CANNOT_SPLIT");
    expectError(state, insure, "WRONG_PHASE");
    const afterHit = ok(state, hit); // T 7 + 3 = 20: still this seat's turn, but three cards
    expectError(afterHit, double, "CANNOT_DOUBLE");
  });
});

describe("blackjack and the dealer's peek", () => {
  it("pays a natural 3:2, or 6:5 where the rules say so", () => {
    const threeToTwo = dealt(stackedTable("Ac 9d Kh 7s"));
    expect(seatResult(threeToTwo).hands[0]).toMatchObject({ outcome: "blackjack", returned: BET + 1500n });
    const sixToFive = dealt(stackedTable("Ac 9d Kh 7s", "single-deck-h17-6to5"));
    expect(seatResult(sixToFive).hands[0]).toMatchObject({ outcome: "blackjack", returned: BET + 1200n });
  });

  it("floors a 3:2 payout on an odd stake to the minor unit", () => {
    const state = dealt(stackedTable("Ac 9d Kh 7s"), [0], 1001n);
    expect(seatResult(state).hands[0].returned).toBe(1001n + 1501n);
  });

  it("settles everything at once when the dealer peeks a blackjack under a ten", () => {
    // seat 0: 9 9 (would split), seat 1: A K natural; dealer K up, A hole.
    const state = dealt(stackedTable("9c Ad Kd 9h Ks Ah"), [0, 1]);
    expect(state.phase).toBe("settled");
    expect(state.result!.dealerBlackjack).toBe(true);
    expect(seatResult(state, 0).hands[0]).toMatchObject({ outcome: "lose", returned: 0n });
    expect(seatResult(state, 1).hands[0]).toMatchObject({ outcome: "push", returned: BET });
    expect(state.dealer.holeHidden).toBe(false);
  });

  it("plays on after a peek that finds no blackjack", () => {
    const state = dealt(stackedTable("9c Kd 9h 9s"));
    expect(state.phase).toBe("playerTurns");
    expect(state.dealer.holeHidden).toBe(true);
  });

  it("does not count 21 after a split as a blackjack", () => {
    // K K split vs 6: first hand K + A = 21 (pays 1:1), second K + 9 = 19; dealer 6 T 2 = 18.
    const state = run(dealt(stackedTable("Kc 6d Kh Ts Ac 9c 2d")), split, stand);
    const result = seatResult(state);
    expect(result.hands.map((h) => h.outcome)).toEqual(["win", "win"]);
    expect(result.hands[0].returned).toBe(2n * BET);
    expect(result.totalStaked).toBe(2n * BET);
  });
});

describe("insurance and even money", () => {
  it("charges half the bet and pays 2:1 when the dealer has blackjack", () => {
    const state = dealt(stackedTable("Tc Ad 8h Ks"));
    expect(state.phase).toBe("insurance");
    expect(legalActions(state, 0)).toEqual(["insurance", "declineInsurance"]);
    expect(stakeRequired(state, insure)).toBe(BET / 2n);
    const end = ok(state, insure);
    const result = seatResult(end);
    expect(result.insuranceStake).toBe(500n);
    expect(result.insuranceReturned).toBe(1500n);
    expect(result.hands[0].outcome).toBe("lose");
    expect(result.totalStaked).toBe(1500n);
    expect(result.net).toBe(0n);
  });

  it("loses the insurance and plays on when the dealer has no blackjack", () => {
    const state = run(dealt(stackedTable("Tc Ad 9h 7s")), insure);
    expect(state.phase).toBe("playerTurns");
    const end = ok(state, stand); // 19 vs A 7 = 18
    const result = seatResult(end);
    expect(result.insuranceReturned).toBe(0n);
    expect(result.hands[0].outcome).toBe("win");
    expect(result.net).toBe(BET - 500n);
  });

  it("pays even money on a blackjack whatever the dealer holds", () => {
    const withBj = run(dealt(stackedTable("Ac Ad Kh Ks")), insure);
    expect(seatResult(withBj).hands[0]).toMatchObject({ outcome: "evenMoney", returned: 2n * BET });
    const withoutBj = run(dealt(stackedTable("Ac Ad Kh 7s")), insure);
    expect(seatResult(withoutBj).hands[0]).toMatchObject({ outcome: "evenMoney", returned: 2n * BET });
    expect(stakeRequired(dealt(stackedTable("Ac Ad Kh 7s")), insure)).toBe(0n);
    const declined = run(dealt(stackedTable("Ac Ad Kh 7s")), decline);
    expect(seatResult(declined).hands[0]).toMatchObject({ outcome: "blackjack", returned: BET + 1500n });
  });

  it("waits for every seat, refuses a second answer, and skips seats too small to insure", () => {
    const base = stackedTable("Tc 9c Ad 8h 9d 7s", "strip-6d-s17-das-ls", { minBet: 1n });
    let state = ok(ok(base, { type: "bet", seat: 0, amount: BET }), { type: "bet", seat: 1, amount: 1n });
    state = ok(state, { type: "deal" });
    expect(state.phase).toBe("insurance");
    expectError(state, { type: "insurance", seat: 1 }, "INSURANCE_NOT_OFFERED");
    expect(defaultAction(state)).toEqual({ type: "declineInsurance", seat: 0 });
    state = ok(state, decline);
    expect(state.phase).toBe("playerTurns");
    expectError(state, decline, "WRONG_PHASE");
  });
});

describe("doubling", () => {
  it("takes exactly one card and doubles the stake", () => {
    const state = run(dealt(stackedTable("6c 6d 5h Ts Tc 8d")), double);
    const result = seatResult(state);
    expect(cardsToString(result.hands[0].cards)).toBe("6c 5h Tc");
    expect(result.hands[0]).toMatchObject({ stake: 2n * BET, doubled: true, outcome: "win", returned: 4n * BET });
    expect(result.totalStaked).toBe(2n * BET);
  });

  it("is refused after a hit, and on totals outside 9-11 where the rules say 9-11", () => {
    const afterHit = run(dealt(stackedTable("2c 9d 3h 7s 2d")), hit);
    expectError(afterHit, double, "CANNOT_DOUBLE");
    const european = dealt(stackedTable("5c 9d 3h 2d", "european-6d-enhc"));
    expectError(european, double, "CANNOT_DOUBLE");
    const softNine = dealt(stackedTable("Ac 9d 8h 2d", "european-6d-enhc")); // soft 19 counts as soft, not 9
    expectError(softNine, double, "CANNOT_DOUBLE");
    const hardTen = dealt(stackedTable("4c 9d 6h 2d", "european-6d-enhc"));
    expect(legalActions(hardTen, 0)).toContain("double");
  });
});

describe("splitting", () => {
  it("splits a pair into two hands, dealing the second hand its card when play reaches it", () => {
    // 8 8 vs 6: hand 1 gets 3 (11) and doubles (T) = 21, hand 2 gets T = 18, stands; dealer 6 T T busts.
    let state = dealt(stackedTable("8c 6d 8h Ts 3c Td Tc Th"));
    expect(stakeRequired(state, split)).toBe(BET);
    state = ok(state, split);
    expect(state.seats[0]!.hands.map((h) => cardsToString(h.cards))).toEqual(["8c 3c", "8h"]);
    state = ok(state, double); // double after split is allowed (DAS)
    expect(state.turn).toEqual({ seat: 0, hand: 1 });
    expect(cardsToString(state.seats[0]!.hands[1].cards)).toBe("8h Tc");
    expectError(state, surrender, "CANNOT_SURRENDER");
    state = ok(state, stand);
    const result = seatResult(state);
    expect(result.hands.map((h) => [h.stake, h.outcome])).toEqual([
      [2n * BET, "win"],
      [BET, "win"],
    ]);
    expect(result.totalStaked).toBe(3n * BET);
    expect(result.totalReturned).toBe(6n * BET);
  });

  it("refuses a double after a split where the rules forbid it", () => {
    const state = run(dealt(stackedTable("8c 6d 8h Ts 3c", "single-deck-h17-6to5")), split);
    expectError(state, double, "CANNOT_DOUBLE");
  });

  it("splits any two ten-value cards and stops at the rule's number of hands", () => {
    // K Q split, then each draws a ten: resplit up to 4 hands; the 4th pair may not split again.
    let state = dealt(stackedTable("Kc 6d Qh 7s Ks Kd Kh Jc Qd Qc Tc"));
    state = run(state, split, split, split);
    expect(state.seats[0]!.hands.length).toBe(4);
    expect(cardsToString(state.seats[0]!.hands[0].cards)).toBe("Kc Kh");
    expectError(state, split, "CANNOT_SPLIT");
    const twoHandTable = run(dealt(stackedTable("Kc 6d Qh 7s Ks Kd", "single-deck-h17-6to5")), split);
    expectError(twoHandTable, split, "CANNOT_SPLIT");
  });

  it("gives split aces one card each and no more", () => {
    const state = run(dealt(stackedTable("Ac 6d Ah Ts 5c Kd Tc")), split);
    // both aces got their card at once; no decision is left, so the dealer played (6 T T = bust)
    expect(state.seats[0]!.hands.map((h) => cardsToString(h.cards))).toEqual(["Ac 5c", "Ah Kd"]);
    const result = seatResult(state);
    expect(result.hands.map((h) => h.outcome)).toEqual(["win", "win"]);
    expect(result.hands[1].returned).toBe(2n * BET); // ace + king after a split is 21, not a blackjack
  });

  it("lets split aces be hit where the rules allow", () => {
    const state = run(
      dealt(stackedTable("Ac 6d Ah Ts 5c Kd 2c", "strip-6d-s17-das-ls", { hitSplitAces: true })),
      split,
    );
    expect(state.turn).toEqual({ seat: 0, hand: 0 });
    expect(legalActions(state, 0)).toEqual(["hit", "stand"]);
    const next = ok(state, hit);
    expect(cardsToString(next.seats[0]!.hands[0].cards)).toBe("Ac 5c 2c");
  });

  it("resplits aces only where the rules allow", () => {
    const cards = "Ac 6d Ah Ts Ad 9c 8c Tc Tc";
    const noResplit = run(dealt(stackedTable(cards)), split);
    expect(noResplit.phase).toBe("settled");
    expect(noResplit.seats[0]!.hands.map((h) => cardsToString(h.cards))).toEqual(["Ac Ad", "Ah 9c"]);

    const resplit = run(dealt(stackedTable(cards, "strip-6d-s17-das-ls", { resplitAces: true })), split);
    expect(resplit.phase).toBe("playerTurns");
    expect(legalActions(resplit, 0)).toEqual(["stand", "split"]);
    const end = ok(resplit, split);
    expect(end.seats[0]!.hands.map((h) => cardsToString(h.cards))).toEqual(["Ac 8c", "Ad Tc", "Ah 9c"]);
  });
});

describe("late surrender", () => {
  it("returns half the bet on the first two cards", () => {
    const state = dealt(stackedTable("Tc Td 6h 7s"));
    expect(legalActions(state, 0)).toContain("surrender");
    const end = ok(state, surrender);
    expect(seatResult(end).hands[0]).toMatchObject({ outcome: "surrender", returned: BET / 2n });
    expect(end.shoe.position).toBe(4); // the dealer draws nothing for a surrendered table
  });

  it("is gone after a hit, where the rules do not offer it, and on ENHC tables", () => {
    const afterHit = run(dealt(stackedTable("Tc Td 2h 7s 2c")), hit);
    expectError(afterHit, surrender, "CANNOT_SURRENDER");
    expectError(dealt(stackedTable("Tc Td 6h 7s", "shoe-6d-h17-das")), surrender, "CANNOT_SURRENDER");
    expect(validateRules(rulesFromPreset("european-6d-enhc", { lateSurrender: true }))).toContain(
      "late surrender needs a dealer peek; ENHC tables do not offer it",
    );
  });
});

describe("dealer soft 17", () => {
  it("stands on soft 17 under S17 and hits it under H17", () => {
    const s17 = run(dealt(stackedTable("Tc Ad 8h 6s", "strip-6d-s17-das-ls", { insurance: false })), stand);
    expect(cardsToString(s17.dealer.cards)).toBe("Ad 6s");
    expect(seatResult(s17).hands[0].outcome).toBe("win");
    const h17 = run(dealt(stackedTable("Tc Ad 8h 6s 3c", "shoe-6d-h17-das", { insurance: false })), stand);
    expect(cardsToString(h17.dealer.cards)).toBe("Ad 6s 3c");
    expect(seatResult(h17).hands[0].outcome).toBe("lose");
  });
});

describe("no hole card (ENHC)", () => {
  it("deals the dealer's second card only after the players", () => {
    const state = dealt(stackedTable("Tc 9d 8h 9s", "european-6d-enhc"));
    expect(state.dealer.cards.length).toBe(1);
    expect(state.phase).toBe("playerTurns");
    const end = ok(state, stand);
    expect(cardsToString(end.dealer.cards)).toBe("9d 9s");
    expect(seatResult(end).hands[0].outcome).toBe("push");
  });

  it("takes doubles and splits too on a dealer blackjack when the rule is 'all'", () => {
    // 6 5 = 11 vs T: double (gets 9 = 20); dealer's second card is an ace: blackjack takes 2 bets.
    const doubled = run(dealt(stackedTable("6c Td 5h 9s Ac", "european-6d-enhc")), double);
    expect(doubled.result!.dealerBlackjack).toBe(true);
    expect(seatResult(doubled).hands[0]).toMatchObject({ stake: 2n * BET, outcome: "lose", returned: 0n });
    const splits = run(dealt(stackedTable("8c Td 8h 9s 9c Ac", "european-6d-enhc")), split, stand, stand);
    expect(seatResult(splits).totalReturned).toBe(0n);
    expect(seatResult(splits).totalStaked).toBe(2n * BET);
  });

  it("loses only the original bet when the rule is 'original'", () => {
    const rules = { enhcDealerBlackjackTakes: "original" } as const;
    const doubled = run(dealt(stackedTable("6c Td 5h 9s Ac", "european-6d-enhc", rules)), double);
    expect(seatResult(doubled).hands[0]).toMatchObject({ outcome: "lose", returned: BET });
    expect(seatResult(doubled).net).toBe(-BET);
    const splits = run(dealt(stackedTable("8c Td 8h 9s 9c Ac", "european-6d-enhc", rules)), split, stand, stand);
    expect(seatResult(splits).hands.map((h) => h.outcome)).toEqual(["lose", "push"]);
    expect(seatResult(splits).net).toBe(-BET);
  });

  it("settles a player blackjack against the dealer's second card", () => {
    const push = dealt(stackedTable("Ac Td Kh As", "european-6d-enhc"));
    expect(seatResult(push).hands[0].outcome).toBe("push");
    const win = dealt(stackedTable("Ac Td Kh 9s", "european-6d-enhc"));
    expect(seatResult(win).hands[0]).toMatchObject({ outcome: "blackjack", returned: BET + 1500n });
  });
});

describe("the shoe", () => {
  it("finishes the round past the cut card, then asks for a new shoe", () => {
    // cut card after the 3rd card: the round still completes with cards behind it.
    const table = stackedTable("Tc 6d 7h Ts 3c 9c 9d", "strip-6d-s17-das-ls", {}, 3);
    const end = run(dealt(table), stand);
    expect(end.result!.shoeFinished).toBe(true);
    expect(isShoeFinished(end)).toBe(true);
    const next = ok(end, { type: "nextRound" });
    expectError(ok(next, { type: "bet", seat: 0, amount: BET }), { type: "deal" }, "SHOE_FINISHED");
    const reloaded = ok(next, { type: "newShoe", shoe: stackedShoe(parseCards("Tc 9d 8h 9s")) });
    expect(isShoeFinished(reloaded)).toBe(false);
    expect(dealt(reloaded).phase).toBe("playerTurns");
    expectError(dealt(reloaded), { type: "newShoe", shoe: stackedShoe(parseCards("Tc")) }, "WRONG_PHASE");
  });

  it("reports SHOE_EXHAUSTED without changing anything, and continues after extendShoe", () => {
    const state = dealt(stackedTable("Tc 6d 6h Ts"));
    expectError(state, stand, "SHOE_EXHAUSTED");
    const extended = ok(state, { type: "extendShoe", shoe: stackedShoe(parseCards("2c 5d")) });
    expect(extended.shoe.cards.length).toBe(6);
    const end = ok(extended, stand);
    expect(cardsToString(end.dealer.cards)).toBe("6d Ts 2c");
  });

  it("deals a fair shoe from the top in order, so the verifier's recomputation matches every card", () => {
    const seeds = {
      serverSeed: "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b",
      clientSeed: "table-7",
      nonce: 3,
    };
    const rules = rulesFromPreset("strip-6d-s17-das-ls");
    const shoe = createFairShoe(seeds, 6, rules.penetration);
    expect(shoe.cutCard).toBe(234);
    let state = createTable(rules, shoe);
    const seen: number[] = [];
    for (let round = 0; round < 5; round++) {
      const result = applyAction(state, { type: "bet", seat: 0, amount: BET });
      state = ok(result.ok ? result.state : state, { type: "deal" });
      while (state.phase !== "settled") state = ok(state, defaultAction(state)!);
      const r = state.result!.seats[0];
      const handCards = r.hands.flatMap((h) => h.cards);
      seen.push(...handCards, ...state.result!.dealerCards);
      state = ok(state, { type: "nextRound" });
    }
    const expected = recomputeShoe(seeds, 6).slice(0, state.shoe.position);
    expect([...seen].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    expect(state.shoe.sources[0]).toMatchObject({ clientSeed: "table-7", nonce: 3, decks: 6 });
  });
});

describe("public view", () => {
  it("hides the hole card and the shoe order until the reveal", () => {
    const state = dealt(stackedTable("Tc 6d 7h Ts 3c"));
    const view = publicView(state);
    expect(view.dealer).toEqual({ cards: [parseCard("6d")], hiddenCards: 1, total: 6, soft: false });
    expect(JSON.stringify(view, (_, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(
      String(parseCard("Ts")),
    );
    expect(view.shoe).toMatchObject({ totalCards: 5, dealt: 4, remaining: 1, cutCardReached: false });
    expect(view).not.toHaveProperty("shoe.cards");
    expect(view.turnActions).toEqual(["hit", "stand", "double", "surrender"]);
    const after = publicView(ok(state, stand));
    expect(after.dealer.hiddenCards).toBe(0);
    expect(after.dealer.cards.length).toBe(3);
  });

  it("names hidden cards in events so the room can keep them private", () => {
    const result = applyAction(ok(stackedTable("Tc 6d 7h Ts 3c"), { type: "bet", seat: 0, amount: BET }), {
      type: "deal",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const dealerCards = result.events.filter((e) => e.type === "cardDealt" && e.to === "dealer");
    expect(dealerCards.map((e) => (e as { faceDown: boolean }).faceDown)).toEqual([false, true]);
  });
});
