import { describe, expect, it } from "vitest";
import {
  blackjackValue,
  CARDS_PER_DECK,
  cardRank,
  cardSuit,
  cardToString,
  compareHighCard,
  handTotal,
  highCardRank,
  isCard,
  isTwoCardTwentyOne,
  makeCard,
  orderedShoe,
  parseCard,
  parseCards,
} from "../../../simulation/cards/index.ts";

describe("card encoding", () => {
  it("round-trips every card through its id, its parts and its text", () => {
    for (let id = 0; id < CARDS_PER_DECK; id++) {
      expect(isCard(id)).toBe(true);
      expect(makeCard(cardRank(id), cardSuit(id))).toBe(id);
      expect(parseCard(cardToString(id))).toBe(id);
    }
    expect(cardToString(0)).toBe("Ac");
    expect(cardToString(51)).toBe("Ks");
    expect(parseCard("10h")).toBe(parseCard("Th"));
    expect(parseCards("As, Kd 7h")).toEqual([parseCard("As"), parseCard("Kd"), parseCard("7h")]);
    expect(() => parseCard("1s")).toThrow();
    expect(() => parseCard("Ax")).toThrow();
    expect(isCard(52)).toBe(false);
  });
});

describe("shoes", () => {
  it("builds decks x 52 cards in the documented order", () => {
    const shoe = orderedShoe(2);
    expect(shoe.length).toBe(104);
    expect(shoe.slice(0, 3).map(cardToString)).toEqual(["Ac", "2c", "3c"]);
    expect(cardToString(shoe[52])).toBe("Ac");
    expect(() => orderedShoe(0)).toThrow();
    expect(() => orderedShoe(9)).toThrow();
  });
});

describe("blackjack values", () => {
  it("counts faces as ten and promotes one ace to eleven when it fits", () => {
    expect(blackjackValue(parseCard("Kd"))).toBe(10);
    expect(blackjackValue(parseCard("As"))).toBe(1);
    expect(handTotal(parseCards("As 6d"))).toEqual({ total: 17, soft: true });
    expect(handTotal(parseCards("As 6d Tc"))).toEqual({ total: 17, soft: false });
    expect(handTotal(parseCards("As Ad"))).toEqual({ total: 12, soft: true });
    expect(handTotal(parseCards("Ts 9d 5c"))).toEqual({ total: 24, soft: false });
    expect(isTwoCardTwentyOne(parseCards("Ah Qs"))).toBe(true);
    expect(isTwoCardTwentyOne(parseCards("7h 7s 7c"))).toBe(false);
  });
});

describe("high-card comparison (ace high, suits never break ties)", () => {
  it("orders 2 < ... < K < A", () => {
    expect(highCardRank(parseCard("2c"))).toBe(2);
    expect(highCardRank(parseCard("Kc"))).toBe(13);
    expect(highCardRank(parseCard("Ac"))).toBe(14);
    expect(compareHighCard(parseCard("Ac"), parseCard("Ks"))).toBeGreaterThan(0);
    expect(compareHighCard(parseCard("2s"), parseCard("3c"))).toBeLessThan(0);
    expect(compareHighCard(parseCard("Qs"), parseCard("Qh"))).toBe(0);
  });
});
