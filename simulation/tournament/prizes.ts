/**
 * How a tournament's prize pool is divided (docs/tournaments.md "Money"). Pure integer arithmetic on minor units:
 *   rake         = floor(pool * rakeBps / 10000), taken once;
 *   place i      = floor((pool - rake) * prizeBps[i] / 10000); what flooring leaves over goes to first place;
 *   tied places  share the sum of the places they cover: each gets floor(sum / k), and the remaining units go one
 *                each to the tied players in seed order (lower seed first).
 * Places nobody finished in (fewer finishers than paid places) also go to first place, so the payouts plus the
 * rake always add up to the pool exactly.
 */

export const BPS_TOTAL = 10_000;

export interface Finisher {
  playerId: string;
  /** The bracket's rank: 1 for the winner; players knocked out in the same round share one. */
  rank: number;
  seed: number;
}

export interface PrizeAward {
  playerId: string;
  place: number;
  prizeMinor: bigint;
}

export interface PrizeSplit {
  rakeMinor: bigint;
  awards: PrizeAward[];
}

export function prizeStructureProblem(prizeBps: readonly number[], seatsMin: number): string | null {
  if (prizeBps.length === 0) return "the prize structure needs at least one place";
  if (prizeBps.some((bps) => !Number.isInteger(bps) || bps < 0)) return "each place is a whole number of basis points";
  const total = prizeBps.reduce((sum, bps) => sum + bps, 0);
  if (total !== BPS_TOTAL) return `the places add up to ${total} basis points, not ${BPS_TOTAL} (100%)`;
  for (let i = 1; i < prizeBps.length; i++) {
    if (prizeBps[i]! > prizeBps[i - 1]!) return "a lower place may not pay more than a higher one";
  }
  if (prizeBps.length > seatsMin) return `${prizeBps.length} paid places but the tournament may start with ${seatsMin}`;
  return null;
}

/** Finishers get places 1.. by rank; a group of equal rank covers as many places as it has players. */
export function splitPrizePool(
  poolMinor: bigint,
  rakeBps: number,
  prizeBps: readonly number[],
  finishers: readonly Finisher[],
): PrizeSplit {
  if (poolMinor < 0n) throw new RangeError("the pool cannot be negative");
  const rakeMinor = (poolMinor * BigInt(rakeBps)) / BigInt(BPS_TOTAL);
  const netMinor = poolMinor - rakeMinor;
  const placeMinor = prizeBps.map((bps) => (netMinor * BigInt(bps)) / BigInt(BPS_TOTAL));
  const ordered = [...finishers].sort((a, b) => a.rank - b.rank || a.seed - b.seed);
  const awards: PrizeAward[] = [];
  let next = 0;
  while (next < ordered.length) {
    const rank = ordered[next]!.rank;
    let end = next;
    while (end < ordered.length && ordered[end]!.rank === rank) end++;
    const group = ordered.slice(next, end);
    let groupMinor = 0n;
    for (let place = next; place < end; place++) groupMinor += placeMinor[place] ?? 0n;
    const share = groupMinor / BigInt(group.length);
    let leftover = groupMinor - share * BigInt(group.length);
    for (const finisher of group) {
      const extra = leftover > 0n ? 1n : 0n;
      leftover -= extra;
      awards.push({ playerId: finisher.playerId, place: next + 1, prizeMinor: share + extra });
    }
    next = end;
  }
  const paidMinor = awards.reduce((sum, award) => sum + award.prizeMinor, 0n);
  if (awards.length > 0) awards[0]!.prizeMinor += netMinor - paidMinor;
  else if (netMinor > 0n) throw new RangeError("a pool with money in it needs a finisher to pay");
  return { rakeMinor, awards };
}
