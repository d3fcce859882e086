import { blackjackValue, handTotal } from "../cards/index.ts";
import { type BlackjackRules, strategyKey } from "./rules.ts";
import type { HandState } from "./state.ts";

/**
 * Basic strategy derived from expected values, for any supported rule set.
 *
 * Model. Card values 1 (ace) .. 10. For each dealer up card u and each two-card player start {a, b}, the cards
 * still to come are drawn from the starting shoe less u, a and b (fixed for the rest of the round: no further
 * removal). The dealer's final-total distribution is computed by recursion from u, conditioned on no dealer
 * blackjack where the dealer peeks, and with the blackjack probability kept apart where there is no hole card.
 * Stand, hit (optimal continuation), double, surrender and split (with resplits by a small recursion over the
 * number of hands) values follow. Values for a total are averaged over the two-card starts that make it,
 * weighted by their probability: a total-dependent strategy, like the published charts. Hands of three or more
 * cards use the shoe less the up card only.
 */

export type StrategyAction = "hit" | "stand" | "double" | "split" | "surrender";

/** Expected value per unit of original bet, NaN where the action does not exist. */
export interface ActionValues {
  stand: number;
  hit: number;
  double: number;
  split: number;
  surrender: number;
}

/** One two-card start against one up card, with its own values (composition-dependent). */
interface StartValues {
  up: number;
  a: number;
  b: number;
  /** Probability of this start given the up card. */
  weight: number;
  /** Probability that the dealer's hole card makes a natural, given the up card and this start. */
  dealerNatural: number;
  values: ActionValues | null;
}

export interface BasicStrategy {
  key: string;
  starts: StartValues[];
  /** [up 1..10][soft 0/1][total 4..21]: two-card hands that are not pairs. */
  twoCard: ActionValues[][][];
  /** [up 1..10][pair value 1..10]: pairs, every action. */
  pairs: ActionValues[][];
  /** [up 1..10][soft 0/1][total 4..21]: hands of three or more cards (hit or stand). */
  multiCard: ActionValues[][][];
}

const VALUES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
/** Dealer final outcomes: index 0..4 = totals 17..21, 5 = bust. */
const BUST = 5;

type Composition = Float64Array; // counts by value 1..10 (index 0 unused)

function shoeComposition(decks: number): Composition {
  const counts = new Float64Array(11);
  for (let v = 1; v <= 9; v++) counts[v] = 4 * decks;
  counts[10] = 16 * decks;
  return counts;
}

function probabilities(counts: Composition): Float64Array {
  let total = 0;
  for (let v = 1; v <= 10; v++) total += counts[v];
  const q = new Float64Array(11);
  for (let v = 1; v <= 10; v++) q[v] = counts[v] / total;
  return q;
}

function bestTotal(hard: number, hasAce: boolean): { total: number; soft: boolean } {
  return hasAce && hard + 10 <= 21 ? { total: hard + 10, soft: true } : { total: hard, soft: false };
}

interface DealerOdds {
  /** Chance the dealer's first two cards are a natural (0 under a peek: the round never reaches the players). */
  blackjack: number;
  /** Final totals given no dealer natural: 17..21 then bust. */
  final: Float64Array;
}

function dealerOdds(up: number, q: Float64Array, rules: BlackjackRules): DealerOdds {
  const memo = new Map<number, Float64Array>();
  const finish = (hard: number, hasAce: boolean): Float64Array => {
    const key = hard * 2 + (hasAce ? 1 : 0);
    const known = memo.get(key);
    if (known) return known;
    const out = new Float64Array(6);
    const { total, soft } = bestTotal(hard, hasAce);
    if (total > 21) out[BUST] = 1;
    else if (total > 17 || (total === 17 && !(soft && rules.dealerHitsSoft17))) out[total - 17] = 1;
    else {
      for (const v of VALUES) {
        const next = finish(hard + v, hasAce || v === 1);
        for (let k = 0; k < 6; k++) out[k] += q[v] * next[k];
      }
    }
    memo.set(key, out);
    return out;
  };
  const final = new Float64Array(6);
  let blackjack = 0;
  for (const hole of VALUES) {
    if ((up === 1 && hole === 10) || (up === 10 && hole === 1)) {
      blackjack += q[hole];
      continue;
    }
    const next = finish(up + hole, up === 1 || hole === 1);
    for (let k = 0; k < 6; k++) final[k] += q[hole] * next[k];
  }
  for (let k = 0; k < 6; k++) final[k] /= 1 - blackjack;
  return { blackjack: rules.holeCard === "peek" ? 0 : blackjack, final };
}

/**
 * Values for one composition and up card. Under ENHC a dealer natural (probability p) is settled after the
 * players: value = (1 - p) * (value given no natural) - p * (units lost to it), where the units lost are the
 * hand's whole stake ("all") or, for the original bet only, a constant 1 counted once per seat.
 */
class Evaluator {
  private readonly standMemo = new Float64Array(32).fill(Number.NaN);
  private readonly hitMemo = new Map<number, number>();
  private readonly noNatural: number;
  private readonly lossPerUnit: number;
  private readonly seatLoss: number;
  private readonly q: Float64Array;
  private readonly dealer: DealerOdds;
  private readonly rules: BlackjackRules;

  constructor(q: Float64Array, dealer: DealerOdds, rules: BlackjackRules) {
    this.q = q;
    this.dealer = dealer;
    this.rules = rules;
    const p = dealer.blackjack;
    this.noNatural = 1 - p;
    this.lossPerUnit = rules.enhcDealerBlackjackTakes === "all" ? p : 0;
    this.seatLoss = rules.enhcDealerBlackjackTakes === "all" ? 0 : p;
  }

  /** Value given no dealer natural of standing on `total`, per unit. */
  private standGivenNoNatural(total: number): number {
    if (total > 21) return -1;
    const known = this.standMemo[total];
    if (!Number.isNaN(known)) return known;
    const d = this.dealer.final;
    let value = d[BUST];
    for (let k = 0; k < 5; k++) {
      const dealerTotal = 17 + k;
      if (total > dealerTotal) value += d[k];
      else if (total < dealerTotal) value -= d[k];
    }
    this.standMemo[total] = value;
    return value;
  }

  /** Best of hit and stand given no dealer natural, for a hand that may keep drawing. */
  private playGivenNoNatural(hard: number, hasAce: boolean): number {
    const { total } = bestTotal(hard, hasAce);
    if (total > 21) return -1;
    return Math.max(this.standGivenNoNatural(total), total >= 21 ? -Infinity : this.hitGivenNoNatural(hard, hasAce));
  }

  private hitGivenNoNatural(hard: number, hasAce: boolean): number {
    const key = hard * 2 + (hasAce ? 1 : 0);
    const known = this.hitMemo.get(key);
    if (known !== undefined) return known;
    let value = 0;
    for (const v of VALUES) value += this.q[v] * this.playGivenNoNatural(hard + v, hasAce || v === 1);
    this.hitMemo.set(key, value);
    return value;
  }

  private doubleGivenNoNatural(hard: number, hasAce: boolean): number {
    let value = 0;
    for (const v of VALUES) {
      value += this.q[v] * this.standGivenNoNatural(bestTotal(hard + v, hasAce || v === 1).total);
    }
    return 2 * value;
  }

  /** A hand's value with its stake in `units`, before the once-per-seat loss of the original bet. */
  private handValue(givenNoNatural: number, units: number): number {
    return this.noNatural * givenNoNatural - this.lossPerUnit * units;
  }

  stand(hard: number, hasAce: boolean): number {
    return this.handValue(this.standGivenNoNatural(bestTotal(hard, hasAce).total), 1) - this.seatLoss;
  }

  hit(hard: number, hasAce: boolean): number {
    return this.handValue(this.hitGivenNoNatural(hard, hasAce), 1) - this.seatLoss;
  }

  double(hard: number, hasAce: boolean): number {
    return this.handValue(this.doubleGivenNoNatural(hard, hasAce), 2) - this.seatLoss;
  }

  surrender(): number {
    return -0.5;
  }

  /** Value of a hand made by a split: it holds `pair` and has drawn `card`; played as the rules allow. */
  private afterSplit(pair: number, card: number): number {
    const hard = pair + card;
    const hasAce = pair === 1 || card === 1;
    const standValue = this.handValue(this.standGivenNoNatural(bestTotal(hard, hasAce).total), 1);
    if (pair === 1 && !this.rules.hitSplitAces) return standValue;
    let best = Math.max(standValue, this.handValue(this.hitGivenNoNatural(hard, hasAce), 1));
    if (pair !== 1 && this.rules.doubleAfterSplit && doubleAllowedOn(hard, hasAce, this.rules)) {
      best = Math.max(best, this.handValue(this.doubleGivenNoNatural(hard, hasAce), 2));
    }
    return best;
  }

  /**
   * Splitting `pair`, resplitting whenever a drawn card pairs again and the rules allow. E(k, s): value still to
   * come from s hands waiting for their second card when k hands exist. E(k, 0) = 0;
   * E(k, s) = sum over other cards c of q(c) [V(c) + E(k, s-1)] + q(pair) [resplit ? E(k+1, s+1) : V(pair) + E(k, s-1)].
   */
  split(pair: number): number {
    const rules = this.rules;
    const maxHands = rules.maxSplitHands;
    if (maxHands < 2) return Number.NaN;
    const canResplit = pair !== 1 || rules.resplitAces;
    const samePair = this.q[pair];
    const samePairValue = this.afterSplit(pair, pair);
    let otherValue = 0;
    for (const v of VALUES) if (v !== pair) otherValue += this.q[v] * this.afterSplit(pair, v);
    const memo = new Map<number, number>();
    const expected = (hands: number, waiting: number): number => {
      if (waiting === 0) return 0;
      const key = hands * 16 + waiting;
      const known = memo.get(key);
      if (known !== undefined) return known;
      const rest = expected(hands, waiting - 1);
      const paired = canResplit && hands < maxHands ? expected(hands + 1, waiting + 1) : samePairValue + rest;
      const value = otherValue + (1 - samePair) * rest + samePair * paired;
      memo.set(key, value);
      return value;
    };
    return expected(2, 2) - this.seatLoss;
  }
}

export function doubleAllowedOn(hard: number, hasAce: boolean, rules: BlackjackRules): boolean {
  if (rules.doubleOn === "any") return true;
  if (bestTotal(hard, hasAce).soft) return false;
  return rules.doubleOn === "9-11" ? hard >= 9 && hard <= 11 : hard >= 10 && hard <= 11;
}

function emptyValues(): ActionValues {
  return { stand: 0, hit: 0, double: 0, split: Number.NaN, surrender: 0 };
}

function grid<T>(make: () => T, ...sizes: number[]): T[] | T[][] | T[][][] {
  const [size, ...rest] = sizes;
  return Array.from({ length: size }, () => (rest.length === 0 ? make() : grid(make, ...rest))) as T[];
}

function computeStrategy(rules: BlackjackRules): BasicStrategy {
  const shoe = shoeComposition(rules.decks);
  const twoCard = grid(emptyValues, 11, 2, 22) as ActionValues[][][];
  const multiCard = grid(emptyValues, 11, 2, 22) as ActionValues[][][];
  const pairs = grid(emptyValues, 11, 11) as ActionValues[][];
  const weights = grid(() => 0, 11, 2, 22) as number[][][];
  const surrenderOffered = rules.lateSurrender && rules.holeCard === "peek";
  const starts: StartValues[] = [];

  for (const up of VALUES) {
    const afterUp = Float64Array.from(shoe);
    afterUp[up] -= 1;
    const upTotal = afterUp.reduce((a, b) => a + b, 0);

    const multiQ = probabilities(afterUp);
    const multi = new Evaluator(multiQ, dealerOdds(up, multiQ, rules), rules);
    for (let hard = 2; hard <= 21; hard++) {
      for (const hasAce of [false, true]) {
        const { total, soft } = bestTotal(hard, hasAce);
        if (hasAce ? !soft : hard < 4) continue;
        const cell = multiCard[up][soft ? 1 : 0][total];
        cell.stand = multi.stand(hard, hasAce);
        cell.hit = total >= 21 ? Number.NaN : multi.hit(hard, hasAce);
        cell.double = Number.NaN;
        cell.surrender = Number.NaN;
      }
    }

    for (const a of VALUES) {
      for (const b of VALUES) {
        if (b < a) continue;
        const counts = Float64Array.from(afterUp);
        const weight =
          a === b
            ? (counts[a] * (counts[a] - 1)) / (upTotal * (upTotal - 1))
            : (2 * counts[a] * counts[b]) / (upTotal * (upTotal - 1));
        if (weight <= 0) continue;
        counts[a] -= 1;
        counts[b] -= 1;
        const q = probabilities(counts);
        const dealerNatural = up === 1 ? q[10] : up === 10 ? q[1] : 0;
        const hard = a + b;
        const hasAce = a === 1;
        const { total, soft } = bestTotal(hard, hasAce);
        if (total === 21) {
          starts.push({ up, a, b, weight, dealerNatural, values: null }); // a natural: no decision
          continue;
        }
        const evaluator = new Evaluator(q, dealerOdds(up, q, rules), rules);
        const values: ActionValues = {
          stand: evaluator.stand(hard, hasAce),
          hit: evaluator.hit(hard, hasAce),
          double: doubleAllowedOn(hard, hasAce, rules) ? evaluator.double(hard, hasAce) : Number.NaN,
          split: Number.NaN,
          surrender: surrenderOffered ? evaluator.surrender() : Number.NaN,
        };
        starts.push({ up, a, b, weight, dealerNatural, values });
        if (a === b) {
          values.split = evaluator.split(a);
          pairs[up][a] = values;
          continue;
        }
        const cell = twoCard[up][soft ? 1 : 0][total];
        const w = weights[up][soft ? 1 : 0][total];
        const sum = w + weight;
        for (const action of ["stand", "hit", "double", "surrender"] as const) {
          cell[action] = (cell[action] * w + values[action] * weight) / sum;
        }
        weights[up][soft ? 1 : 0][total] = sum;
      }
    }
  }
  return { key: strategyKey(rules), starts, twoCard, pairs, multiCard };
}

const cache = new Map<string, BasicStrategy>();

/** The derived strategy for these rules, computed once per rule set (a few milliseconds) and cached. */
export function basicStrategy(rules: BlackjackRules): BasicStrategy {
  const key = strategyKey(rules);
  let strategy = cache.get(key);
  if (!strategy) {
    strategy = computeStrategy(rules);
    cache.set(key, strategy);
  }
  return strategy;
}

/** The values that apply to `hand` against `up` (ranks as cards; values looked up by blackjack value). */
export function handValues(strategy: BasicStrategy, hand: readonly number[], upValue: number): ActionValues {
  const { total, soft } = handTotal(hand);
  if (hand.length === 2) {
    const a = blackjackValue(hand[0]);
    if (a === blackjackValue(hand[1])) return strategy.pairs[upValue][a];
    return strategy.twoCard[upValue][soft ? 1 : 0][total];
  }
  return strategy.multiCard[upValue][soft ? 1 : 0][Math.min(total, 21)];
}

/** The best of the `allowed` actions by expected value. */
export function bestAction(values: ActionValues, allowed: readonly StrategyAction[]): StrategyAction {
  let best: StrategyAction = "stand";
  let bestValue = -Infinity;
  for (const action of allowed) {
    const value = values[action];
    if (!Number.isNaN(value) && value > bestValue) {
      bestValue = value;
      best = action;
    }
  }
  return best;
}

/** Decision for a hand in play (as the bot uses it). */
export function strategyDecision(
  rules: BlackjackRules,
  hand: HandState,
  upValue: number,
  allowed: readonly StrategyAction[],
): StrategyAction {
  return bestAction(handValues(basicStrategy(rules), hand.cards, upValue), allowed);
}

/**
 * The house edge (percent of the initial bet) the model predicts for a fresh shoe and this total-dependent
 * strategy: every start weighted by its probability, each played as the strategy's table says and valued with
 * its own composition. An independent check on the simulator, which plays the same strategy through the engine.
 */
export function modelHouseEdge(rules: BlackjackRules): number {
  const strategy = basicStrategy(rules);
  const shoe = shoeComposition(rules.decks);
  const cards = shoe.reduce((x, y) => x + y, 0);
  const payout = rules.blackjackPays === "3:2" ? 1.5 : 1.2;
  const allowed: StrategyAction[] = ["stand", "hit", "double", "split", "surrender"];
  let playerValue = 0;
  for (const start of strategy.starts) {
    const upProbability = shoe[start.up] / cards;
    let value: number;
    if (start.values === null) {
      value = (1 - start.dealerNatural) * payout;
    } else {
      const table = start.a === start.b ? strategy.pairs[start.up][start.a] : twoCardCell(strategy, start);
      const chosen = bestAction(table, allowed);
      value =
        rules.holeCard === "peek"
          ? -start.dealerNatural + (1 - start.dealerNatural) * start.values[chosen]
          : start.values[chosen];
    }
    playerValue += upProbability * start.weight * value;
  }
  return -100 * playerValue;
}

function twoCardCell(strategy: BasicStrategy, start: StartValues): ActionValues {
  const { total, soft } = bestTotal(start.a + start.b, start.a === 1);
  return strategy.twoCard[start.up][soft ? 1 : 0][total];
}

export type ChartCode = "H" | "S" | "Dh" | "Ds" | "Rh" | "Rs" | "P";

/** A chart cell as published charts write it: the best play, and for D/R what to do when it is not allowed. */
export function chartCode(values: ActionValues): ChartCode {
  const fallback = values.hit >= values.stand || Number.isNaN(values.stand) ? "h" : "s";
  const best = bestAction(values, ["stand", "hit", "double", "split", "surrender"]);
  switch (best) {
    case "split":
      return "P";
    case "double":
      return fallback === "h" ? "Dh" : "Ds";
    case "surrender":
      return fallback === "h" ? "Rh" : "Rs";
    case "hit":
      return "H";
    default:
      return "S";
  }
}

const CHART_UPS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 1];

/** The strategy as a chart: rows by hard total (5-17), soft total (13-20) and pair, columns dealer 2..10, A. */
export function strategyChart(rules: BlackjackRules): {
  hard: Record<number, ChartCode[]>;
  soft: Record<number, ChartCode[]>;
  pairs: Record<number, ChartCode[]>;
} {
  const strategy = basicStrategy(rules);
  const hard: Record<number, ChartCode[]> = {};
  const soft: Record<number, ChartCode[]> = {};
  const pairs: Record<number, ChartCode[]> = {};
  for (let total = 5; total <= 17; total++)
    hard[total] = CHART_UPS.map((up) => chartCode(strategy.twoCard[up][0][total]));
  for (let total = 13; total <= 20; total++)
    soft[total] = CHART_UPS.map((up) => chartCode(strategy.twoCard[up][1][total]));
  for (let pair = 1; pair <= 10; pair++) pairs[pair] = CHART_UPS.map((up) => chartCode(strategy.pairs[up][pair]));
  return { hard, soft, pairs };
}
