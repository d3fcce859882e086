import { MAX_DECKS, MIN_DECKS } from "../cards/index.ts";

export type DoubleRule = "any" | "9-11" | "10-11";
export type HoleCardRule = "peek" | "enhc";
export type BlackjackPayout = "3:2" | "6:5";

/** Table rules. Amounts are integer minor units (bigint). */
export interface BlackjackRules {
  decks: number;
  /** H17 when true, S17 when false. */
  dealerHitsSoft17: boolean;
  /** "any": any first two cards; "9-11"/"10-11": two-card hard totals only. */
  doubleOn: DoubleRule;
  doubleAfterSplit: boolean;
  /** Most hands one seat may hold after splitting (1 = no splitting). */
  maxSplitHands: number;
  resplitAces: boolean;
  hitSplitAces: boolean;
  /** Late surrender: the first two cards of an unsplit hand, after the dealer has checked for blackjack. */
  lateSurrender: boolean;
  blackjackPays: BlackjackPayout;
  /** "peek": US hole card, checked under an ace or ten; "enhc": European, the dealer's second card comes after the players. */
  holeCard: HoleCardRule;
  /** ENHC only: on a dealer blackjack, "all" stakes (doubles and splits too) lose, or only the "original" bet. */
  enhcDealerBlackjackTakes: "all" | "original";
  insurance: boolean;
  /** Fraction of the shoe dealt before the cut card, e.g. 0.75. */
  penetration: number;
  minBet: bigint;
  maxBet: bigint;
}

export const MAX_SEATS = 7;
export const MAX_SPLIT_HANDS = 4;

const base: BlackjackRules = {
  decks: 6,
  dealerHitsSoft17: false,
  doubleOn: "any",
  doubleAfterSplit: true,
  maxSplitHands: 4,
  resplitAces: false,
  hitSplitAces: false,
  lateSurrender: true,
  blackjackPays: "3:2",
  holeCard: "peek",
  enhcDealerBlackjackTakes: "all",
  insurance: true,
  penetration: 0.75,
  minBet: 100n,
  maxBet: 100_000n,
};

/** Named rule sets; docs/blackjack.md gives each one's published house edge. */
export const RULE_PRESETS = {
  /** Six decks, S17, DAS, late surrender, split to 4, no resplit aces: the rules of the common 4–8 deck chart. */
  "strip-6d-s17-das-ls": { ...base },
  /** Six decks, H17, DAS, split to 4, no resplit aces, no surrender. */
  "shoe-6d-h17-das": { ...base, dealerHitsSoft17: true, lateSurrender: false },
  /** Eight decks, S17, DAS, split to 4, no surrender. */
  "shoe-8d-s17-das": { ...base, decks: 8, lateSurrender: false },
  /** Double deck, H17, DAS, split to 4, no surrender. */
  "double-deck-h17-das": { ...base, decks: 2, dealerHitsSoft17: true, lateSurrender: false, penetration: 0.65 },
  /** Single deck paying 6:5 on blackjack, H17, no DAS, one split. */
  "single-deck-h17-6to5": {
    ...base,
    decks: 1,
    dealerHitsSoft17: true,
    doubleAfterSplit: false,
    maxSplitHands: 2,
    lateSurrender: false,
    blackjackPays: "6:5",
    penetration: 0.6,
  },
  /** European: six decks, S17, no hole card (doubles and splits lost to a dealer blackjack), double 9–11, DAS, resplit any pair incl. aces to 4. */
  "european-6d-enhc": {
    ...base,
    doubleOn: "9-11",
    resplitAces: true,
    lateSurrender: false,
    holeCard: "enhc",
  },
} as const satisfies Record<string, BlackjackRules>;

export type RulePresetName = keyof typeof RULE_PRESETS;

export function isRulePresetName(name: string): name is RulePresetName {
  return Object.hasOwn(RULE_PRESETS, name);
}

export function rulesFromPreset(name: RulePresetName, overrides: Partial<BlackjackRules> = {}): BlackjackRules {
  return { ...RULE_PRESETS[name], ...overrides };
}

/** Problems with a rule set, empty when it is playable. */
export function validateRules(rules: BlackjackRules): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(rules.decks) || rules.decks < MIN_DECKS || rules.decks > MAX_DECKS) {
    problems.push(`decks must be ${MIN_DECKS}..${MAX_DECKS}`);
  }
  if (!["any", "9-11", "10-11"].includes(rules.doubleOn)) problems.push("doubleOn must be any, 9-11 or 10-11");
  if (!Number.isInteger(rules.maxSplitHands) || rules.maxSplitHands < 1 || rules.maxSplitHands > MAX_SPLIT_HANDS) {
    problems.push(`maxSplitHands must be 1..${MAX_SPLIT_HANDS}`);
  }
  if (!["3:2", "6:5"].includes(rules.blackjackPays)) problems.push("blackjackPays must be 3:2 or 6:5");
  if (!["peek", "enhc"].includes(rules.holeCard)) problems.push("holeCard must be peek or enhc");
  if (rules.lateSurrender && rules.holeCard === "enhc") {
    problems.push("late surrender needs a dealer peek; ENHC tables do not offer it");
  }
  if (!(rules.penetration >= 0.1 && rules.penetration <= 0.95)) problems.push("penetration must be 0.1..0.95");
  if (typeof rules.minBet !== "bigint" || typeof rules.maxBet !== "bigint") problems.push("bets must be bigint");
  else if (rules.minBet < 1n || rules.maxBet < rules.minBet) problems.push("need 1 <= minBet <= maxBet");
  return problems;
}

export function assertValidRules(rules: BlackjackRules): void {
  const problems = validateRules(rules);
  if (problems.length > 0) throw new RangeError(`invalid blackjack rules: ${problems.join("; ")}`);
}

/** The rule fields that change play or payouts (not bet limits): a cache key for strategies. */
export function strategyKey(rules: BlackjackRules): string {
  return [
    rules.decks,
    rules.dealerHitsSoft17 ? "H17" : "S17",
    rules.doubleOn,
    rules.doubleAfterSplit ? "DAS" : "NDAS",
    rules.maxSplitHands,
    rules.resplitAces ? "RSA" : "NRSA",
    rules.hitSplitAces ? "HSA" : "NHSA",
    rules.lateSurrender ? "LS" : "NS",
    rules.blackjackPays,
    rules.holeCard,
    rules.enhcDealerBlackjackTakes,
  ].join("/");
}
