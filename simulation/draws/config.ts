/** Match rules. Amounts are integer minor units (bigint); rates are basis points (1 bps = 0.01%). */
export interface DrawsConfig {
  /** Smallest stake one seat may put up for a round. */
  minStakeMinor: bigint;
  /** Largest stake one seat may put up for a round. */
  maxStakeMinor: bigint;
  /** House rake on a won pot, in basis points: 500 = 5%. Rounded down to the minor unit. */
  rakeBps: number;
  /** Most rake taken from one pot, or null for no cap. */
  rakeCapMinor: bigint | null;
  /** Redraws after a tie before the round is a push: 3 means at most 4 draw attempts. */
  maxRedraws: number;
  /** Odd N for a best-of-N series, or null for open-ended play (round after round until someone leaves). */
  bestOf: number | null;
  /** Hard limit on rounds in one match, pushes included; the match ends when it is reached. */
  maxRounds: number;
  /** Whether a pot awarded by forfeit pays rake like a pot won by the cards. */
  forfeitPaysRake: boolean;
}

export { BPS_PER_WHOLE } from "../money/pot.ts";
export const MAX_RAKE_BPS = 10_000;
export const MAX_REDRAWS = 10;
export const MAX_BEST_OF = 99;
export const MAX_ROUNDS_PER_MATCH = 10_000;
/** Keeps pot * rakeBps far inside what a ledger column (bigint, 63 bits) can hold. */
export const MAX_STAKE_LIMIT_MINOR = 10n ** 15n;

export const DEFAULT_DRAWS_CONFIG: DrawsConfig = {
  minStakeMinor: 100n,
  maxStakeMinor: 100_000n,
  rakeBps: 500,
  rakeCapMinor: null,
  maxRedraws: 3,
  bestOf: null,
  maxRounds: 1_000,
  forfeitPaysRake: true,
};

export function drawsConfig(overrides: Partial<DrawsConfig> = {}): DrawsConfig {
  const config = { ...DEFAULT_DRAWS_CONFIG, ...overrides };
  assertValidDrawsConfig(config);
  return config;
}

/** The first thing wrong with `config`, or null when it is usable. */
export function drawsConfigProblem(config: DrawsConfig): string | null {
  const { minStakeMinor, maxStakeMinor, rakeBps, rakeCapMinor, maxRedraws, bestOf, maxRounds } = config;
  if (typeof minStakeMinor !== "bigint" || typeof maxStakeMinor !== "bigint") return "stake limits must be bigint";
  if (minStakeMinor < 1n) return "minStakeMinor must be at least 1";
  if (maxStakeMinor < minStakeMinor) return "maxStakeMinor must be at least minStakeMinor";
  if (maxStakeMinor > MAX_STAKE_LIMIT_MINOR) return `maxStakeMinor must be at most ${MAX_STAKE_LIMIT_MINOR}`;
  if (!Number.isInteger(rakeBps) || rakeBps < 0 || rakeBps > MAX_RAKE_BPS) {
    return `rakeBps must be an integer 0..${MAX_RAKE_BPS}`;
  }
  if (rakeCapMinor !== null && (typeof rakeCapMinor !== "bigint" || rakeCapMinor < 0n)) {
    return "rakeCapMinor must be null or a non-negative bigint";
  }
  if (!Number.isInteger(maxRedraws) || maxRedraws < 0 || maxRedraws > MAX_REDRAWS) {
    return `maxRedraws must be an integer 0..${MAX_REDRAWS}`;
  }
  if (bestOf !== null && (!Number.isInteger(bestOf) || bestOf < 1 || bestOf > MAX_BEST_OF || bestOf % 2 === 0)) {
    return `bestOf must be null or an odd integer 1..${MAX_BEST_OF}`;
  }
  if (!Number.isInteger(maxRounds) || maxRounds < 1 || maxRounds > MAX_ROUNDS_PER_MATCH) {
    return `maxRounds must be an integer 1..${MAX_ROUNDS_PER_MATCH}`;
  }
  if (bestOf !== null && maxRounds < bestOf) return "maxRounds must be at least bestOf";
  if (typeof config.forfeitPaysRake !== "boolean") return "forfeitPaysRake must be a boolean";
  return null;
}

/** A bad rule set is a programming error, so it throws. */
export function assertValidDrawsConfig(config: DrawsConfig): void {
  const problem = drawsConfigProblem(config);
  if (problem) throw new RangeError(problem);
}

/** Round wins a seat needs to take a best-of-N series: ceil(N / 2). */
export function winsToTakeSeries(bestOf: number): number {
  return Math.ceil(bestOf / 2);
}
