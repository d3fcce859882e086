import { describe, expect, it } from "vitest";
import {
  applyAction,
  basicStrategy,
  basicStrategyAction,
  modelHouseEdge,
  rulesFromPreset,
  strategyChart,
} from "../../../simulation/blackjack/index.ts";
import { dealt, stackedTable } from "./helpers.ts";

/**
 * The published basic strategy for 4–8 decks, dealer stands on soft 17, double after split, late surrender
 * (Wizard of Odds, "4-Deck to 8-Deck Blackjack Strategy", https://wizardofodds.com/games/blackjack/strategy/4-decks/ ;
 * the same chart is printed in most blackjack references). Columns: dealer 2 3 4 5 6 7 8 9 T A.
 * H hit, S stand, D double else hit, Ds double else stand, P split, Rh surrender else hit.
 */
const PUBLISHED_4_8_DECK_S17_DAS_LS = {
  hard: {
    5: "H  H  H  H  H  H  H  H  H  H",
    6: "H  H  H  H  H  H  H  H  H  H",
    7: "H  H  H  H  H  H  H  H  H  H",
    8: "H  H  H  H  H  H  H  H  H  H",
    9: "H  D  D  D  D  H  H  H  H  H",
    10: "D  D  D  D  D  D  D  D  H  H",
    11: "D  D  D  D  D  D  D  D  D  H",
    12: "H  H  S  S  S  H  H  H  H  H",
    13: "S  S  S  S  S  H  H  H  H  H",
    14: "S  S  S  S  S  H  H  H  H  H",
    15: "S  S  S  S  S  H  H  H  Rh H",
    16: "S  S  S  S  S  H  H  Rh Rh Rh",
    17: "S  S  S  S  S  S  S  S  S  S",
  },
  soft: {
    13: "H  H  H  D  D  H  H  H  H  H",
    14: "H  H  H  D  D  H  H  H  H  H",
    15: "H  H  D  D  D  H  H  H  H  H",
    16: "H  H  D  D  D  H  H  H  H  H",
    17: "H  D  D  D  D  H  H  H  H  H",
    18: "S  Ds Ds Ds Ds S  S  H  H  H",
    19: "S  S  S  S  S  S  S  S  S  S",
    20: "S  S  S  S  S  S  S  S  S  S",
  },
  pairs: {
    2: "P  P  P  P  P  P  H  H  H  H",
    3: "P  P  P  P  P  P  H  H  H  H",
    4: "H  H  H  P  P  H  H  H  H  H",
    5: "D  D  D  D  D  D  D  D  H  H",
    6: "P  P  P  P  P  H  H  H  H  H",
    7: "P  P  P  P  P  P  H  H  H  H",
    8: "P  P  P  P  P  P  P  P  P  P",
    9: "P  P  P  P  P  S  P  P  S  S",
    10: "S  S  S  S  S  S  S  S  S  S",
    1: "P  P  P  P  P  P  P  P  P  P",
  },
};

function published(row: string): string[] {
  return row
    .trim()
    .split(/\s+/)
    .map((code) => (code === "D" ? "Dh" : code));
}

function expectChart(
  decks: number,
  exceptions: { group: "hard" | "soft" | "pairs"; row: number; up: number; play: string }[],
) {
  const chart = strategyChart(rulesFromPreset("strip-6d-s17-das-ls", { decks }));
  for (const group of ["hard", "soft", "pairs"] as const) {
    const rows = PUBLISHED_4_8_DECK_S17_DAS_LS[group] as Record<number, string>;
    for (const [row, codes] of Object.entries(rows)) {
      const expected = published(codes);
      for (const e of exceptions) if (e.group === group && e.row === Number(row)) expected[e.up] = e.play;
      expect({ group, row, plays: chart[group][Number(row)] }).toEqual({ group, row, plays: expected });
    }
  }
}

describe("derived basic strategy", () => {
  for (const decks of [4, 6]) {
    it(`matches the published ${decks}-deck S17 DAS LS chart cell for cell`, () => {
      expectChart(decks, []);
    });
  }

  it("matches the published chart at 8 decks but for soft 13 vs 5, a hair's-breadth call", () => {
    // The 4–8 deck chart is one chart for several shoe sizes. At 8 decks our model has hitting soft 13 vs 5
    // ahead of doubling by under 0.1% of a bet; every other cell agrees.
    expectChart(8, [{ group: "soft", row: 13, up: 3, play: "H" }]);
    const values = basicStrategy(rulesFromPreset("strip-6d-s17-das-ls", { decks: 8 })).twoCard[5][1][13];
    expect(Math.abs(values.hit - values.double)).toBeLessThan(0.001);
  });

  it("changes where the published charts say the rules change the play", () => {
    // H17 (Wizard's 4-8 deck H17 chart): double 11 vs A, double soft 18 vs 2 and soft 19 vs 6.
    const h17 = strategyChart(rulesFromPreset("shoe-6d-h17-das"));
    expect(h17.hard[11][9]).toBe("Dh");
    expect(h17.soft[18][0]).toBe("Ds");
    expect(h17.soft[19][4]).toBe("Ds");
    // Single deck: double 8 vs 5 and 6, double 9 vs 2 (Wizard's single-deck chart).
    const single = strategyChart(rulesFromPreset("single-deck-h17-6to5"));
    expect(single.hard[8].slice(3, 5)).toEqual(["Dh", "Dh"]);
    expect(single.hard[9][0]).toBe("Dh");
    // No hole card, doubles and splits lost to a blackjack: hit 11 vs T, do not split 8s vs T or A.
    const european = strategyChart(rulesFromPreset("european-6d-enhc"));
    expect(european.hard[11][8]).toBe("H");
    expect(european.pairs[8].slice(8)).toEqual(["H", "H"]);
  });

  it("predicts the published house edges from its own expected values", () => {
    // Wizard of Odds house-edge calculator: 6 decks, H17, DAS, split to 4, no RSA, no surrender: 0.639%
    // (quoted in wizardofvegas.com forum thread 39582); six decks, S17, no hole card, double 9-11, DAS, resplit
    // to 4 incl. aces, no surrender: 0.55% (Ask the Wizard #294). The model is an approximation (no card removal
    // after the first three cards, resplits by a formula), so it is held to 0.03% of a bet.
    expect(Math.abs(modelHouseEdge(rulesFromPreset("shoe-6d-h17-das")) - 0.639)).toBeLessThan(0.03);
    expect(Math.abs(modelHouseEdge(rulesFromPreset("european-6d-enhc")) - 0.55)).toBeLessThan(0.03);
  });

  it("is computed once per rule set", () => {
    const rules = rulesFromPreset("strip-6d-s17-das-ls");
    expect(basicStrategy(rules)).toBe(basicStrategy({ ...rules, minBet: 5n }));
  });
});

describe("basic-strategy bot", () => {
  it("declines insurance and plays the chart's move among the legal ones", () => {
    const insurance = dealt(stackedTable("Tc Ad 6h 7s"));
    expect(basicStrategyAction(insurance, 0)).toEqual({ type: "declineInsurance", seat: 0 });
    expect(basicStrategyAction(dealt(stackedTable("Tc 9d 6h 7s")), 0)).toEqual({ type: "surrender", seat: 0 });
    expect(basicStrategyAction(dealt(stackedTable("8c 6d 8h 7s")), 0)).toEqual({ type: "split", seat: 0 });
    expect(basicStrategyAction(dealt(stackedTable("6c 6d 5h 7s")), 0)).toEqual({ type: "double", seat: 0 });
    // 16 vs T with surrender gone after a hit (T 2 4): hit
    const hit = applyAction(dealt(stackedTable("Tc Td 2h 7s 4c")), { type: "hit", seat: 0 });
    expect(hit.ok && basicStrategyAction(hit.state, 0)).toEqual({ type: "hit", seat: 0 });
    expect(basicStrategyAction(dealt(stackedTable("Tc 9d 6h 7s")), 1)).toBeNull();
  });
});
