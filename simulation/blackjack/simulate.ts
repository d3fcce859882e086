import { lazyFairShoe } from "../rng/index.ts";
import { basicStrategyAction } from "./bot.ts";
import { applyAction, createTable } from "./engine.ts";
import { isShoeFinished } from "./queries.ts";
import type { BlackjackRules } from "./rules.ts";
import { createFairShoe, stackedShoe } from "./shoe.ts";
import type { BlackjackAction, BlackjackState } from "./state.ts";

/**
 * "cut-card": a shoe is dealt to the rules' penetration, then replaced (the casino game; includes the cut-card
 * effect). "every-round": a fresh shuffle for every round (a continuous shuffler; what "off the top" published
 * figures describe). Both use the fair RNG: one nonce per shoe.
 */
export type ShuffleMode = "cut-card" | "every-round";

export interface SimulationOptions {
  rules: BlackjackRules;
  rounds: number;
  serverSeed: string;
  clientSeed: string;
  /** Nonce of the first shoe; each new shoe takes the next one. */
  firstNonce?: number;
  shuffle: ShuffleMode;
}

/** Sums that merge across workers by adding. Net results are in units of the initial bet. */
export interface SimulationTotals {
  rounds: number;
  sumNet: number;
  sumNetSquared: number;
  /** Total money put at risk (doubles, splits) in units of the initial bet. */
  sumStaked: number;
  shoes: number;
}

export function emptyTotals(): SimulationTotals {
  return { rounds: 0, sumNet: 0, sumNetSquared: 0, sumStaked: 0, shoes: 0 };
}

export function mergeTotals(a: SimulationTotals, b: SimulationTotals): SimulationTotals {
  return {
    rounds: a.rounds + b.rounds,
    sumNet: a.sumNet + b.sumNet,
    sumNetSquared: a.sumNetSquared + b.sumNetSquared,
    sumStaked: a.sumStaked + b.sumStaked,
    shoes: a.shoes + b.shoes,
  };
}

export interface HouseEdge {
  rounds: number;
  /** Player loss per initial bet, in percent (the house edge as published). */
  houseEdgePercent: number;
  standardErrorPercent: number;
  /** Standard deviation of one round's result, in initial bets. */
  standardDeviation: number;
  averageStake: number;
}

/** House edge with its standard error, treating rounds as independent. */
export function houseEdge(totals: SimulationTotals): HouseEdge {
  const n = totals.rounds;
  const mean = totals.sumNet / n;
  const variance = (totals.sumNetSquared - n * mean * mean) / (n - 1);
  const sd = Math.sqrt(Math.max(variance, 0));
  return {
    rounds: n,
    houseEdgePercent: -100 * mean,
    standardErrorPercent: (100 * sd) / Math.sqrt(n),
    standardDeviation: sd,
    averageStake: totals.sumStaked / n,
  };
}

const BET = 1000n;
/** Cards prepared per round in every-round mode; more come from the same shuffle if a round needs them. */
const LAZY_BATCH = 24;

/** Plays `rounds` rounds of one seat at basic strategy through the real engine. Deterministic given its options. */
export function simulateRounds(options: SimulationOptions): SimulationTotals {
  const rules: BlackjackRules = { ...options.rules, minBet: 1n, maxBet: BET };
  let nonce = options.firstNonce ?? 0;
  const seeds = () => ({ serverSeed: options.serverSeed, clientSeed: options.clientSeed, nonce: nonce++ });
  let lazy: ReturnType<typeof lazyFairShoe> | null = null;
  const nextShoe = () => {
    if (options.shuffle === "cut-card") return createFairShoe(seeds(), rules.decks, rules.penetration);
    lazy = lazyFairShoe(seeds(), rules.decks);
    // The cut card after the first card: every round ends its shoe.
    return stackedShoe(lazy.take(LAZY_BATCH), 1);
  };
  const extend = (state: BlackjackState): BlackjackState => {
    const more = lazy ? lazy.take(LAZY_BATCH) : [];
    if (more.length === 0) throw new Error("shoe exhausted: a rule set needs more cards than the shuffle holds");
    return step(state, { type: "extendShoe", shoe: stackedShoe(more) });
  };
  const step = (state: BlackjackState, action: BlackjackAction): BlackjackState => {
    const result = applyAction(state, action);
    if (result.ok) return result.state;
    if (result.error.code === "SHOE_EXHAUSTED") return step(extend(state), action);
    throw new Error(`simulation broke a rule: ${action.type} ${result.error.code} ${result.error.message}`);
  };

  const totals = emptyTotals();
  let state = createTable(rules, nextShoe());
  totals.shoes = 1;
  const bet = Number(BET);
  for (let round = 0; round < options.rounds; round++) {
    if (isShoeFinished(state)) {
      state = step(state, { type: "newShoe", shoe: nextShoe() });
      totals.shoes += 1;
    }
    state = step(state, { type: "bet", seat: 0, amount: BET });
    state = step(state, { type: "deal" });
    while (state.phase !== "settled") state = step(state, basicStrategyAction(state, 0)!);
    const seat = state.result!.seats[0];
    const net = Number(seat.net) / bet;
    totals.rounds += 1;
    totals.sumNet += net;
    totals.sumNetSquared += net * net;
    totals.sumStaked += Number(seat.totalStaked) / bet;
    state = step(state, { type: "nextRound" });
  }
  return totals;
}
