/** Basis points in a whole: a rate of 500 bps is 5 %. */
export const BPS_PER_WHOLE = 10_000;

/** The house's cut of a pot: a rate in basis points and an optional cap in minor units. */
export interface RakeRule {
  rakeBps: number;
  rakeCapMinor: bigint | null;
}

/** What a pot comes to: the pot, the house's rake, and what is paid out of it (payout + rake == pot). */
export interface PotSplit {
  potMinor: bigint;
  rakeMinor: bigint;
  payoutMinor: bigint;
}

/**
 * floor(pot * rakeBps / 10000), then capped. Flooring rounds in the players' favour: any fraction of a minor unit
 * stays with the winner, so no unit is created or lost.
 */
export function rakeForPot(potMinor: bigint, rule: RakeRule): bigint {
  if (potMinor < 0n) throw new RangeError("pot must not be negative");
  if (!Number.isInteger(rule.rakeBps) || rule.rakeBps < 0 || rule.rakeBps > BPS_PER_WHOLE) {
    throw new RangeError(`rakeBps must be an integer in 0..${BPS_PER_WHOLE}`);
  }
  if (rule.rakeCapMinor !== null && rule.rakeCapMinor < 0n) throw new RangeError("rake cap must not be negative");
  const uncapped = (potMinor * BigInt(rule.rakeBps)) / BigInt(BPS_PER_WHOLE);
  return rule.rakeCapMinor !== null && uncapped > rule.rakeCapMinor ? rule.rakeCapMinor : uncapped;
}

/**
 * Every game's pot: the stakes add up to the pot, the rake comes off it, and the rest is paid out (to the winner of
 * a pool match or a draw, to a tournament's prize places). `withRake: false` pays the whole pot back.
 */
export function splitPot(stakesMinor: readonly bigint[], rule: RakeRule, withRake = true): PotSplit {
  let potMinor = 0n;
  for (const stake of stakesMinor) {
    if (stake < 0n) throw new RangeError("a stake must not be negative");
    potMinor += stake;
  }
  const rakeMinor = withRake ? rakeForPot(potMinor, rule) : 0n;
  return { potMinor, rakeMinor, payoutMinor: potMinor - rakeMinor };
}

/**
 * A banked game (blackjack): the house is the other side of every bet, so it keeps what the players staked and did
 * not get back, or pays in what they won beyond it (a negative share). No rake.
 */
export function houseShare(stakedMinor: bigint, returnedMinor: bigint): bigint {
  if (stakedMinor < 0n || returnedMinor < 0n) throw new RangeError("stakes and returns must not be negative");
  return stakedMinor - returnedMinor;
}
